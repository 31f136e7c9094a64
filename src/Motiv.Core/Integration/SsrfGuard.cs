using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Motiv.Core.Integration;

/// <summary>
/// Keeps outgoing calls (webhooks) out of the internal network: loopback, private, link-local (cloud metadata),
/// carrier-grade NAT, documentation, multicast and reserved addresses are refused however they are spelled (octal,
/// hex, decimal, short forms, IPv4-mapped or NAT64 IPv6), because the decision is made on the resolved address itself.
/// The check runs when connecting, so every redirect and every DNS answer is checked again, and the connection goes to
/// the address that was checked. An allow-list opens chosen intranet hosts or networks.
/// </summary>
public static partial class SsrfGuard
{
    public static async Task CheckUrlAsync(string url, IReadOnlyList<string> allow, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
            throw new BlockedAddressException(Text.Get("Validation.WebhookUrl"));
        await ResolveAsync(uri.IdnHost, allow, ct);
    }

    /// <summary>The host's addresses when every one of them may be called; otherwise throws with the address that may not.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, IReadOnlyList<string> allow, CancellationToken ct)
    {
        host = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(host, ct); }
            catch (SocketException) { throw new BlockedAddressException(Text.Get("Validation.HostUnknown", host)); }
        }
        if (addresses.Length == 0) throw new BlockedAddressException(Text.Get("Validation.HostUnknown", host));
        var hostAllowed = allow.Contains(host);
        foreach (var address in addresses)
        {
            var a = Normalise(address);
            if (IsInternal(a) && !hostAllowed && !allow.Any(e => Matches(e, a))) throw new BlockedAddressException(Text.Get("Validation.BlockedAddress", a));
        }
        return addresses;
    }

    /// <summary>An HTTP client whose every connection (redirects included) is checked; no proxy, at most three redirects.</summary>
    public static HttpClient CreateClient(IReadOnlyList<string> allow)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = true, MaxAutomaticRedirections = 3, ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = async (context, ct) =>
            {
                var addresses = await ResolveAsync(context.DnsEndPoint.Host, allow, ct);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>IPv4 hidden in IPv6 (mapped, compatible, NAT64, 6to4) as IPv4; anything else as it is.</summary>
    public static IPAddress Normalise(IPAddress a)
    {
        if (a.AddressFamily != AddressFamily.InterNetworkV6) return a;
        if (a.IsIPv4MappedToIPv6) return a.MapToIPv4();
        var b = a.GetAddressBytes();
        if (b.Take(12).All(x => x == 0) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1)) return new IPAddress(b[12..]);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0)) return new IPAddress(b[12..]);
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b[2..6]);
        return a;
    }

    public static bool IsInternal(IPAddress address)
    {
        var a = Normalise(address);
        var b = a.GetAddressBytes();
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113);
        }
        return a.Equals(IPAddress.IPv6Loopback) || a.Equals(IPAddress.IPv6Any) || a.IsIPv6LinkLocal || a.IsIPv6SiteLocal || a.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
            || (b[0] == 0x01 && b.Skip(1).Take(7).All(x => x == 0));
    }

    public static bool IsValidAllowEntry(string entry) =>
        IPAddress.TryParse(entry, out _) || TryNetwork(entry, out _, out _) || HostName().IsMatch(entry);

    private static bool Matches(string entry, IPAddress a)
    {
        if (IPAddress.TryParse(entry, out var single)) return Normalise(single).Equals(a);
        if (!TryNetwork(entry, out var network, out var prefix) || network.AddressFamily != a.AddressFamily) return false;
        var (x, y) = (network.GetAddressBytes(), a.GetAddressBytes());
        for (var bit = 0; bit < prefix; bit++)
            if (((x[bit / 8] >> (7 - bit % 8)) & 1) != ((y[bit / 8] >> (7 - bit % 8)) & 1)) return false;
        return true;
    }

    private static bool TryNetwork(string entry, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        var parts = entry.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var n) || !int.TryParse(parts[1], out prefix)) return false;
        network = Normalise(n);
        return prefix >= 0 && prefix <= (network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")]
    private static partial Regex HostName();
}
