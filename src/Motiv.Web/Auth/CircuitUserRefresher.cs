using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Motiv.Web.Auth;

/// <summary>Reloads the circuit user's scope before each UI event, so a deactivated user can do nothing more.</summary>
public sealed class CircuitUserRefresher(CurrentUser currentUser, AuthenticationStateProvider authState) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            await currentUser.LoadAsync(authState);
            await next(context);
        };
}
