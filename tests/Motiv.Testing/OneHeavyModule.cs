using System.Diagnostics;
using Xunit;

namespace Motiv.Testing;

/// <summary>
/// The API tests and the browser journeys each keep both cores busy. <c>dotnet test</c> starts all test modules at
/// once, and side by side they starve each other until a journey's typed text reaches the server too late. As an
/// assembly fixture of both modules, this lets one of them run at a time: it holds an exclusive lock on a file for the
/// module's whole run (the operating system frees it if the process dies). The small unit-test module runs alongside.
/// </summary>
public sealed class OneHeavyModule : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);
    private FileStream? _lock;

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), "motiv-heavy-test-module.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _lock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (waited.Elapsed < Patience)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _lock?.Dispose();
        return ValueTask.CompletedTask;
    }
}
