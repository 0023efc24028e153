using System.Text.Json;
using Corral.Llama;
using Corral.Llama.Native;

namespace Corral.Runner.Discovery;

/// <summary>
/// The hidden <c>corral devices</c> subcommand: loads the llama.cpp build this machine uses, as a runner would, and
/// prints one JSON <see cref="DeviceReport"/> on stdout. The server runs it once at start (<see cref="DeviceProbe"/>)
/// rather than loading a GPU backend itself: a CUDA context would hold device memory for the server's lifetime, and
/// a driver that crashes takes only this child down. Exit 0 with the report, 1 when the build does not load.
/// </summary>
public static class DevicesCommand
{
    public const string Verb = "devices";

    public static int Run()
    {
        var selection = LlamaBackendSelection.Current;
        var report = new DeviceReport
        {
            Backend = selection.Kind.ToString().ToLowerInvariant(),
            LibraryDirectory = selection.Directory,
            Note = selection.Note,
        };
        var exit = 0;
        try
        {
            foreach (var d in LlamaBackend.Devices)
            {
                report.Devices.Add(new DeviceEntry
                {
                    Index = d.Index,
                    Name = d.Name,
                    Description = d.Description,
                    Type = d.Type,
                    FreeBytes = d.FreeBytes,
                    TotalBytes = d.TotalBytes,
                });
            }
        }
        catch (LlamaException ex)
        {
            report.Error = ex.Message;
            exit = 1;
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(report, DiscoveryJsonContext.Default.DeviceReport));
        Console.Out.Flush();
        return exit;
    }
}
