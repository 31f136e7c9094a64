using Microsoft.AspNetCore.DataProtection;

namespace Motiv.Web.Hosting;

/// <summary>Secrets (such as SMTP passwords) at rest, protected with ASP.NET Core data protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider) : Motiv.Core.Communication.ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("Motiv.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
