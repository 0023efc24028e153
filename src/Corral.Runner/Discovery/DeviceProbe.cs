using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Corral.Runner.Client;

namespace Corral.Runner.Discovery;

/// <summary>Runs <c>corral devices</c> as a child process (same executable and environment as the runners) and reads its report.</summary>
public static class DeviceProbe
{
    /// <summary>The report; on any failure (the child could not start, timed out or printed nothing usable) one with <see cref="DeviceReport.Error"/>.</summary>
    public static Task<DeviceReport> RunAsync(TimeSpan timeout, CancellationToken cancellation) =>
        RunAsync(timeout, EnvironmentSource.Process, cancellation);

    /// <summary>
    /// The report of a probe that sees <paramref name="environment"/>'s variables; on any failure one with
    /// <see cref="DeviceReport.Error"/>.
    /// </summary>
    public static async Task<DeviceReport> RunAsync(TimeSpan timeout, EnvironmentSource environment, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var info = CorralSelfCommand.StartInfo([DevicesCommand.Verb], environment);
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        using var process = new Process { StartInfo = info };
        try
        {
            if (!process.Start())
            {
                return Failed("could not start the device probe");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return Failed($"could not start the device probe: {ex.Message}");
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var stdout = await process.StandardOutput.ReadToEndAsync(limit.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(l => l.StartsWith('{'));
            if (line is null)
            {
                var tail = (await stderr.ConfigureAwait(false)).Trim();
                return Failed($"the device probe exited with code {process.ExitCode} and no report{(tail.Length > 0 ? ": " + tail[^Math.Min(tail.Length, 500)..] : "")}");
            }

            return JsonSerializer.Deserialize(line, DiscoveryJsonContext.Default.DeviceReport) ?? Failed("the device probe printed an empty report");
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return Failed($"the device probe did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (JsonException ex)
        {
            return Failed($"the device probe's report is not valid: {ex.Message}");
        }
        finally
        {
            if (!process.HasExited)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
    }

    private static DeviceReport Failed(string why) => new() { Error = why };
}
