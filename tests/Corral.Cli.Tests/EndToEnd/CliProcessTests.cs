using System.Text.RegularExpressions;
using Corral.Templates.Library;
using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>The built <c>corral</c> executable against a real server, verb by verb.</summary>
public sealed partial class CliProcessTests(CliServerFixture fixture) : IClassFixture<CliServerFixture>
{
    [GeneratedRegex(@"^tiny:latest\s+[0-9a-f]{12}\s+\d+(\.\d)? (B|KB|MB|GB)\s+(Less than a second|\d+ seconds?) ago$", RegexOptions.Multiline)]
    private static partial Regex TinyListRow();

    [Fact]
    public void Create_uploads_the_gguf_and_succeeds()
    {
        Assert.True(fixture.Created.ExitCode == 0, fixture.Created.ToString());
        Assert.Contains("success", fixture.Created.StandardError);
        Assert.Matches(@"copying file sha256:[0-9a-f]{64} 100%", fixture.Created.StandardError);
    }

    [Fact]
    public async Task List_shows_an_aligned_table()
    {
        var list = await fixture.RunAsync(["list"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "ID", "SIZE", "MODIFIED"], lines[0].Split('\t').Select(c => c.Trim()));
        Assert.Matches(TinyListRow(), list.StandardOutput.Replace("\t", "  "));
        // "ls" is the same verb (the MODIFIED column may have moved on by a second).
        static string Names(string table) => string.Join('\n', table.Split('\n').Select(l => l.Split('\t')[0]));
        Assert.Equal(Names(list.StandardOutput), Names((await fixture.RunAsync(["ls"])).StandardOutput));
    }

    [Fact]
    public async Task Show_modelfile_round_trips_through_create()
    {
        var shown = await fixture.RunAsync(["show", "tiny", "--modelfile"]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("PARAMETER temperature 0", shown.StandardOutput);
        Assert.Contains("FROM ", shown.StandardOutput);

        var path = Path.Combine(fixture.Home, "Roundtrip.modelfile");
        File.WriteAllText(path, shown.StandardOutput);
        var created = await fixture.RunAsync(["create", "tiny-roundtrip", "-f", path]);
        Assert.True(created.ExitCode == 0, created.ToString());

        var again = await fixture.RunAsync(["show", "tiny-roundtrip", "--modelfile"]);
        Assert.Equal(Body(shown.StandardOutput), Body(again.StandardOutput));
        var answer = await fixture.RunAsync(["run", "tiny-roundtrip", "hi"]);
        Assert.Equal(CliServerFixture.Alphabet, answer.StandardOutput.Trim());

        // The header names the model; the instructions must be the same.
        static string Body(string modelfile) => string.Join('\n', modelfile.Split('\n').Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public async Task Show_prints_the_summary_and_single_parts()
    {
        var info = await fixture.RunAsync(["show", "tiny"]);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.StartsWith("  Model\n    architecture", info.StandardOutput);
        Assert.Contains("  Parameters\n", info.StandardOutput);

        var template = await fixture.RunAsync(["show", "tiny", "--template"]);
        Assert.Equal(CliServerFixture.Template + "\n", template.StandardOutput);

        var two = await fixture.RunAsync(["show", "tiny", "--template", "--system"]);
        Assert.Equal(1, two.ExitCode);
        Assert.Equal("Error: only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified\n", two.StandardError);
    }

    [Fact]
    public async Task Show_template_of_a_gguf_without_one_prints_the_recognised_format()
    {
        // No TEMPLATE: the GGUF's own Llama 3 Jinja template is what the model has, shown as the library's Go template.
        var path = Path.Combine(fixture.ModelDirectory, "Jinja.modelfile");
        File.WriteAllText(path, "FROM ./weights/successor.gguf\n");
        var created = await fixture.RunAsync(["create", "tiny-jinja", "-f", path]);
        Assert.True(created.ExitCode == 0, created.ToString());

        var template = await fixture.RunAsync(["show", "tiny-jinja", "--template"]);
        Assert.True(template.ExitCode == 0, template.ToString());
        Assert.Equal(KnownChatTemplates.Find("llama3")!.Text + "\n", template.StandardOutput);

        var modelfile = await fixture.RunAsync(["show", "tiny-jinja", "--modelfile"]);
        Assert.DoesNotContain("TEMPLATE", modelfile.StandardOutput);
    }

    [Fact]
    public async Task Run_with_a_prompt_prints_the_answer()
    {
        var result = await fixture.RunAsync(["run", "tiny", "Say the alphabet"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliServerFixture.Alphabet + "\n\n", result.StandardOutput);
    }

    [Fact]
    public async Task Run_reads_a_piped_prompt_and_prints_verbose_timings()
    {
        var result = await fixture.RunAsync(["run", "tiny", "--verbose"], stdin: "Say the alphabet\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CliServerFixture.Alphabet, result.StandardOutput.Trim());
        Assert.Matches(@"eval count:\s+26 token\(s\)", result.StandardError);
        Assert.Matches(@"eval rate:\s+\d+\.\d\d tokens/s", result.StandardError);
    }

    [Fact]
    public async Task Cp_then_rm()
    {
        var copy = await fixture.RunAsync(["cp", "tiny", "tiny-copy"]);
        Assert.Equal("copied 'tiny' to 'tiny-copy'\n", copy.StandardOutput);
        Assert.Contains("tiny-copy:latest", (await fixture.RunAsync(["list"])).StandardOutput);

        var remove = await fixture.RunAsync(["rm", "tiny-copy"]);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Equal("deleted 'tiny-copy'\n", remove.StandardOutput);
        Assert.DoesNotContain("tiny-copy", (await fixture.RunAsync(["list"])).StandardOutput);

        var missing = await fixture.RunAsync(["rm", "tiny-copy"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("Error: ", missing.StandardError);
        Assert.Single(missing.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Ps_lists_the_loaded_model_and_stop_unloads_it()
    {
        Assert.Equal(0, (await fixture.RunAsync(["run", "tiny", "hi", "--keepalive", "10m"])).ExitCode);
        var ps = await fixture.RunAsync(["ps"]);
        var row = ps.StandardOutput.Split('\n').Single(l => l.StartsWith("tiny:latest", StringComparison.Ordinal)).Split('\t').Select(c => c.Trim()).ToArray();
        Assert.Equal("100% CPU", row[3]);
        Assert.Matches(@"^\d+$", row[4]);
        Assert.Matches("minutes from now$", row[5]);

        var stop = await fixture.RunAsync(["stop", "tiny"]);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await fixture.RunAsync(["ps"])).StandardOutput.Contains("tiny:latest", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "tiny is still loaded after stop");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Errors_are_one_line_on_stderr()
    {
        var result = await fixture.RunAsync(["show", "no-such-model"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Matches(@"^Error: [^\n]*not found[^\n]*\n$", result.StandardError);
    }

    [Fact]
    public async Task Create_reports_the_modelfile_line_of_a_mistake()
    {
        var path = Path.Combine(fixture.Home, "Bad.modelfile");
        File.WriteAllText(path, "FROM tiny\nPARAMETER temperature warm\n");
        var result = await fixture.RunAsync(["create", "bad", "-f", path]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: (line 2): invalid float value [warm]\n", result.StandardError);
    }

    [Fact]
    public async Task Version_names_the_server_build_and_api_without_a_warning_for_the_same_build()
    {
        var result = await fixture.RunAsync(["--version"]);
        Assert.Equal($"corral version is {Corral.Api.CorralVersion.Build} (Ollama API {Corral.Api.CorralVersion.OllamaApi})\n", result.StandardOutput);
    }

    [Fact]
    public async Task Version_without_a_server_warns_and_names_the_client()
    {
        var port = ChildProcessReadiness.FreeLoopbackPort();

        var result = await CorralCli.RunAsync($"127.0.0.1:{port}", fixture.Home, ["--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Warning: could not connect to a running corral instance\n" +
            $"Warning: client version is {Corral.Api.CorralVersion.Build} (Ollama API {Corral.Api.CorralVersion.OllamaApi})\n",
            result.StandardOutput);
    }

    [Fact]
    public async Task No_server_gives_the_could_not_connect_error()
    {
        var port = ChildProcessReadiness.FreeLoopbackPort();

        var result = await CorralCli.RunAsync($"127.0.0.1:{port}", fixture.Home, ["list"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: could not connect to corral server at 127.0.0.1:{port}, run 'corral serve' to start it\n", result.StandardError);
    }
}
