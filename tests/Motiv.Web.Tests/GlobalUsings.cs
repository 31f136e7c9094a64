global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Motiv.Testing;
global using Xunit;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.EntityFrameworkCore;
