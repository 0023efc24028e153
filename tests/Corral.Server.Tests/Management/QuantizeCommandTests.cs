using System.Diagnostics;
using Corral.Models.Gguf;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

/// <summary>The hidden <c>corral quantize</c> subcommand on its own: its stdout lines, exit codes and error line.</summary>
public sealed class QuantizeCommandTests
{
    [Fact]
    public async Task Quantizes_ReportingProgressLines_ThenDone()
    {
        var output = Path.Combine(Path.GetTempPath(), $"corral-q8-{Guid.NewGuid():N}.gguf");
        try
        {
            var (code, stdout, _) = await RunAsync("quantize", "--input", GeneratedModels.Random, "--output", output, "--type", "q8_0", "--threads", "1");

            Assert.Equal(0, code);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var tensors = GgufReader.Read(GeneratedModels.Random, GgufReadOptions.MetadataOnly).Tensors.Count;
            Assert.Equal("progress 0 " + tensors, lines[0]);
            Assert.Equal($"progress {tensors} {tensors}", lines[^2]);
            Assert.Equal("done", lines[^1]);
            Assert.Equal(tensors + 1, lines.Count(l => l.StartsWith("progress ", StringComparison.Ordinal)));
            Assert.Equal("Q8_0", GgufFileTypes.Name(GgufReader.Read(output, GgufReadOptions.MetadataOnly).FileType));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task MissingInput_ExitsOne_WithOneErrorLine_AndNoOutput()
    {
        var output = Path.Combine(Path.GetTempPath(), $"corral-q8-{Guid.NewGuid():N}.gguf");
        var (code, stdout, stderr) = await RunAsync("quantize", "--input", output + ".missing", "--output", output, "--type", "Q4_K_M");

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Equal($"Error: Cannot quantize '{output}.missing': file not found", stderr.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task WithExitWithStdin_StopsWhenItsParentsPipeCloses()
    {
        // The server holds the child's stdin open; if the server dies, the pipe closes and the child must not run on.
        var output = Path.Combine(Path.GetTempPath(), $"corral-q8-{Guid.NewGuid():N}.gguf");
        try
        {
            var info = StartInfo("quantize", "--input", GeneratedModels.Random, "--output", output, "--type", "q4_K_M", "--exit-with-stdin");
            info.RedirectStandardInput = true;
            using var process = Process.Start(info)!;
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(3, process.ExitCode);
            Assert.DoesNotContain("done", await process.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData("--bogus", "Error: quantize: unknown argument '--bogus'")]
    [InlineData("--type", "Error: quantize: --type needs a value")]
    [InlineData("--input", "Error: quantize: --input needs a value")]
    [InlineData("--type q9_9", "Error: quantize: unknown file type 'q9_9'")]
    [InlineData("--type 7", "Error: quantize: unknown file type '7'")]
    [InlineData("--input a --type q8_0", "Error: quantize: --input, --output and --type are required")]
    public async Task BadArguments_ExitTwo_WithOneErrorLine(string args, string expected)
    {
        var (code, _, stderr) = await RunAsync(["quantize", .. args.Split(' ')]);

        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Trim());
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }
}
