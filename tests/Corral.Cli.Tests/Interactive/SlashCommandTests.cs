using Corral.Api.Client;
using Corral.Cli.Interactive;

namespace Corral.Cli.Tests.Interactive;

public sealed class SlashCommandTests
{
    [Fact]
    public void Splits_words_and_keeps_free_text()
    {
        var command = SlashCommand.Parse("/set system  You are   a pirate.");
        Assert.Equal("/set", command.Name);
        Assert.Equal("system", command.Arg(1));
        Assert.Equal("You are   a pirate.", command.Rest(2));
        Assert.Equal(string.Empty, command.Arg(7));
    }

    [Theory]
    [InlineData("/bye", true)]
    [InlineData("/set parameter x 1", true)]
    [InlineData("/tmp/cat.png what is this?", false)]
    [InlineData("hello", false)]
    public void Image_paths_are_not_commands(string line, bool isCommand) => Assert.Equal(isCommand, SlashCommand.IsCommand(line));

    private static (ChatSession Session, StringWriter Output) NewSession()
    {
        var output = new StringWriter();
        // Nothing listens on port 1: these commands must not need the server.
        var client = new OllamaClient(new Uri("http://127.0.0.1:1/"));
        var session = new ChatSession(client, new RunSettings { Model = "m" }, output, output, () => CancellationToken.None);
        return (session, output);
    }

    [Fact]
    public async Task Set_parameter_changes_the_request_options()
    {
        var (session, output) = NewSession();
        Assert.True(await session.HandleLineAsync("/set parameter num_predict 5", CancellationToken.None));
        Assert.True(await session.HandleLineAsync("/set parameter stop <end> ###", CancellationToken.None));
        Assert.True(await session.HandleLineAsync("/set parameter temperature hot", CancellationToken.None));

        Assert.Equal(
            "Set parameter 'num_predict' to '5'\nSet parameter 'stop' to '<end>, ###'\nCouldn't set parameter: \"invalid float value [hot]\"\n",
            output.ToString());
        var options = session.Settings.Options()!;
        Assert.Equal(5, options.NumPredict);
        Assert.Equal(["<end>", "###"], options.Stop);
        Assert.Null(options.Temperature);
    }

    [Fact]
    public async Task Set_modes_and_system()
    {
        var (session, output) = NewSession();
        foreach (var line in new[] { "/set format json", "/set think", "/set verbose", "/set nowordwrap", "/set system Talk like a pirate." })
        {
            await session.HandleLineAsync(line, CancellationToken.None);
        }

        Assert.Equal("Set format to 'json' mode.\nSet 'think' mode.\nSet 'verbose' mode.\nSet 'nowordwrap' mode.\nSet system message.\n", output.ToString());
        var settings = session.Settings;
        Assert.Equal("json", settings.Format);
        Assert.True(settings.Think!.Value.IsEnabled);
        Assert.True(settings.Verbose);
        Assert.False(settings.WordWrap);
        Assert.Equal("Talk like a pirate.", settings.System);
        Assert.Equal("system", Assert.Single(settings.Messages).Role);
    }

    [Fact]
    public async Task Multi_line_system_message()
    {
        var (session, _) = NewSession();
        await session.HandleLineAsync("/set system \"\"\"You are", CancellationToken.None);
        Assert.Equal("... ", session.Prompt);
        await session.HandleLineAsync("a pirate.\"\"\"", CancellationToken.None);
        Assert.Equal(">>> ", session.Prompt);
        Assert.Equal("You are\na pirate.", session.Settings.System);
    }

    [Fact]
    public async Task Bye_ends_and_unknown_commands_are_reported()
    {
        var (session, output) = NewSession();
        Assert.True(await session.HandleLineAsync("/nonsense", CancellationToken.None));
        Assert.True(await session.HandleLineAsync("/?", CancellationToken.None));
        Assert.False(await session.HandleLineAsync("/bye", CancellationToken.None));
        Assert.StartsWith("Unknown command '/nonsense'. Type /? for help\nAvailable Commands:\n  /set", output.ToString());
        Assert.Contains("Use \"\"\" to begin a multi-line message.", output.ToString());
    }

    [Fact]
    public async Task Clear_keeps_only_the_system_message()
    {
        var (session, output) = NewSession();
        await session.HandleLineAsync("/set system be brief", CancellationToken.None);
        session.Settings.Messages.Add(new() { Role = "user", Content = "hi" });
        await session.HandleLineAsync("/clear", CancellationToken.None);
        Assert.EndsWith("Cleared session context\n", output.ToString());
        Assert.Equal("be brief", Assert.Single(session.Settings.Messages).Content);
    }

    [Fact]
    public void Image_paths_are_read_and_removed_from_the_prompt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"corral-img-{Guid.NewGuid():N}.png");
        byte[] png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
        File.WriteAllBytes(file, png);
        try
        {
            var (prompt, images, missing) = ImagePaths.Extract($"what is in {file}? and /nope/missing.jpg");
            Assert.Equal("what is in ? and /nope/missing.jpg", prompt);
            Assert.Equal(png, Assert.Single(images).Bytes);
            Assert.Equal("/nope/missing.jpg", Assert.Single(missing));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
