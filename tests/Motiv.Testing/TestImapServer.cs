using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Motiv.Testing;

/// <summary>
/// Debian's Dovecot as a real IMAP server on 127.0.0.1, in a folder of its own with a password file of test users and
/// maildirs; stopped (with its children) on dispose. Needs root (Dovecot drops to its own users) and dovecot-imapd.
/// </summary>
public sealed class TestImapServer : IDisposable
{
    public const string DovecotPath = "/usr/sbin/dovecot";
    public const string Password = "Imap-Secret-1";

    private readonly string _root;
    private readonly Process _process;

    public int Port { get; }

    /// <summary>Why Dovecot cannot run here, or null.</summary>
    public static string? Problem =>
        !File.Exists(DovecotPath) ? $"Dovecot is not installed at {DovecotPath} (apt-get install -y dovecot-imapd)."
        : OperatingSystem.IsWindows() || Environment.UserName != "root" ? "Dovecot is started as root (it then runs as its own users); these tests run as " + Environment.UserName + "."
        : null;

    public TestImapServer(params string[] users)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Dovecot runs on Linux.");
        _root = Directory.CreateTempSubdirectory("motiv-imap-").FullName;
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(_root, "mail"), (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(Path.Combine(_root, "mail"), (UnixFileMode)0b111_111_111);
        File.WriteAllLines(Path.Combine(_root, "users"), users.Select(u => $"{u}:{{PLAIN}}{Password}"));
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var config = Path.Combine(_root, "dovecot.conf");
        File.WriteAllText(config, $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{_root}}/run
            state_dir = {{_root}}/state
            log_path = {{_root}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{_root}}/mail/%u
            first_valid_uid = 1
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{_root}}/users
            }
            userdb {
              driver = static
              args = uid=mail gid=mail home={{_root}}/mail/%u
            }
            """);
        _process = Process.Start(new ProcessStartInfo(DovecotPath, ["-F", "-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("Dovecot did not start.");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(15) && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    public async Task<ImapClient> ConnectAsync(string user)
    {
        var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, Password);
        return client;
    }

    /// <summary>Puts messages into a user's folder (created when missing) as a mail client would, many per command.</summary>
    public async Task AppendAsync(string user, string folderName, IEnumerable<MimeMessage> messages)
    {
        using var client = await ConnectAsync(user);
        var folder = folderName == "INBOX" ? client.Inbox : await OpenOrCreateAsync(client, folderName);
        foreach (var chunk in messages.Chunk(200))
            await folder.AppendAsync([.. chunk.Select(m => (IAppendRequest)new AppendRequest(m, MessageFlags.Seen))]);
        await client.DisconnectAsync(true);
    }

    private static async Task<IMailFolder> OpenOrCreateAsync(ImapClient client, string name)
    {
        try { return await client.GetFolderAsync(name); }
        catch (FolderNotFoundException) { return (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, true))!; }
    }

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { /* a child still closing a file */ } catch (UnauthorizedAccessException) { /* same */ }
    }
}
