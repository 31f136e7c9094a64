global using Microsoft.Playwright;
global using Motiv.Testing;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
