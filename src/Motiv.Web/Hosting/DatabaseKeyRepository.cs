using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Motiv.Core.Common;

namespace Motiv.Web.Hosting;

/// <summary>
/// The data-protection key ring in Motiv's database, so that a cookie, an antiforgery token or a stored mail password protected by one web
/// node is read by every other. The first time the table is empty, keys an earlier Motiv kept in the default folder
/// (~/.aspnet/DataProtection-Keys) are taken over, so nobody is signed out and no stored password becomes unreadable by the update.
/// </summary>
public sealed class DatabaseKeyRepository(IServiceProvider services) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = services.CreateScope();
        using var db = SystemDb.Create(scope.ServiceProvider);
        var stored = db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList();
        if (stored.Count == 0) stored = TakeOverFolder(db);
        return stored.Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = services.CreateScope();
        using var db = SystemDb.Create(scope.ServiceProvider);
        Insert(db, element.ToString(SaveOptions.DisableFormatting), friendlyName);
    }

    private static List<string> TakeOverFolder(Core.Data.MotivDbContext db)
    {
        var folder = FileSystemXmlRepository.DefaultKeyStorageDirectory;
        if (folder is null || !folder.Exists) return [];
        var keys = folder.GetFiles("*.xml").Select(f => (Name: Path.GetFileNameWithoutExtension(f.Name), Xml: XElement.Load(f.FullName).ToString(SaveOptions.DisableFormatting))).ToList();
        foreach (var key in keys) Insert(db, key.Xml, key.Name);
        return keys.Select(k => k.Xml).ToList();
    }

    /// <summary>Written directly: data protection asks synchronously, and Motiv's save pipeline (audit, search) has nothing to do with keys.</summary>
    private static void Insert(Core.Data.MotivDbContext db, string xml, string name) =>
        db.Database.ExecuteSql($"INSERT INTO data_protection_keys (\"Id\", \"FriendlyName\", \"Xml\") VALUES ({Guid.CreateVersion7()}, {name}, {xml})");

    /// <summary>One application name on every node (the default is the content root's path, which differs between installations).</summary>
    public static void AddMotivDataProtection(IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Motiv");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseKeyRepository(sp)));
    }
}
