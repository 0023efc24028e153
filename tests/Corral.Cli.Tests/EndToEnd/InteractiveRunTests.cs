using System.Diagnostics;
using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>
/// <c>corral run MODEL</c> in a real pseudo-terminal (tmux): the prompt, slash commands, a <c>"""</c> multi-line
/// message, the streamed answer and <c>/bye</c>.
/// </summary>
public sealed class InteractiveRunTests(CliServerFixture fixture) : IClassFixture<CliServerFixture>
{
    [Fact]
    public async Task Chat_in_a_terminal()
    {
        Assert.True(fixture.Created.ExitCode == 0, fixture.Created.ToString());
        var session = $"corral-cli-{Environment.ProcessId}-{Guid.NewGuid():N}"[..30];
        var command = $"env OLLAMA_HOST={fixture.Server.HostAndPort} HOME={fixture.Home} TERM=xterm-256color dotnet {CorralPaths.CorralDll} run tiny; sleep 30";
        await TmuxAsync("new-session", "-d", "-s", session, "-x", "100", "-y", "40", command);
        try
        {
            await WaitForScreenAsync(session, s => s.Contains(">>> Send a message (/? for help)", StringComparison.Ordinal), "the prompt");

            await TypeAsync(session, "/set parameter num_predict 5");
            await WaitForScreenAsync(session, s => s.Contains("Set parameter 'num_predict' to '5'", StringComparison.Ordinal), "the parameter confirmation");

            await TypeAsync(session, "\"\"\"Tell me");
            await WaitForScreenAsync(session, s => s.Split('\n').Any(l => l == "..."), "the continuation prompt");
            await TypeAsync(session, "the alphabet\"\"\"");
            await WaitForScreenAsync(session, s => s.Split('\n').Any(l => l.Trim() == "abcde"), "the five-token answer");

            await TypeAsync(session, "/bye");
            await WaitForScreenAsync(session, s => !s.Contains(">>> /bye\n>>>", StringComparison.Ordinal) && s.TrimEnd().EndsWith(">>> /bye", StringComparison.Ordinal), "the session to end");
            var screen = await CaptureAsync(session);
            Assert.Contains(">>> \"\"\"Tell me\n... the alphabet\"\"\"\nabcde\n", screen);
            var history = await File.ReadAllTextAsync(Path.Combine(fixture.Home, ".ollama", "history"));
            Assert.Contains("/set parameter num_predict 5", history);
        }
        finally
        {
            await TmuxAsync("kill-session", "-t", session);
        }
    }

    private static Task<string> TypeAsync(string session, string text) => TmuxAsync("send-keys", "-t", session, "-l", text).ContinueWith(_ => TmuxAsync("send-keys", "-t", session, "Enter")).Unwrap();

    private static async Task<string> CaptureAsync(string session)
    {
        var output = await TmuxAsync("capture-pane", "-p", "-t", session);
        return string.Join('\n', output.Split('\n').Select(l => l.TrimEnd()));
    }

    private static async Task WaitForScreenAsync(string session, Func<string, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var screen = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            screen = await CaptureAsync(session);
            if (condition(screen))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"waited for {what}; the screen shows:\n{screen}");
    }

    private static async Task<string> TmuxAsync(params string[] args)
    {
        var info = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
