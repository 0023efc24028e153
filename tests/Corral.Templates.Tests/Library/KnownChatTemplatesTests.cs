using Corral.Templates.Library;
using Corral.Templates.Prompting;

namespace Corral.Templates.Tests.Library;

/// <summary>The library's Go templates as templates: they parse, and their two branches agree.</summary>
public sealed class KnownChatTemplatesTests
{
    public static TheoryData<string> Names() => new(KnownChatTemplates.All.Select(t => t.Name));

    [Fact]
    public void NamesAreUniqueAndFindable()
    {
        Assert.Equal(KnownChatTemplates.All.Count, KnownChatTemplates.All.Select(t => t.Name).Distinct().Count());
        Assert.All(KnownChatTemplates.All, t => Assert.Same(t, KnownChatTemplates.Find(t.Name)));
        Assert.Null(KnownChatTemplates.Find("no-such-format"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ParsesAsAMessagesTemplateWithoutStrayText(string name)
    {
        var known = KnownChatTemplates.Find(name)!;
        var template = OllamaTemplate.Parse(known.Text);
        Assert.True(template.UsesMessages);
        // The files end in a newline; each template trims it so that it does not print one.
        Assert.EndsWith("-}}\n", known.Text);
        Assert.DoesNotContain("\r", known.Text);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void PerTurnBranchRendersOneTurnLikeTheMessagesBranch(string name)
    {
        // The .System/.Prompt/.Response branch serves Ollama's per-turn path (e.g. generate with a suffix); for one turn
        // it must give the same prompt as the .Messages branch.
        var template = KnownChatTemplates.Find(name)!.Template;
        foreach (var messages in new[]
        {
            new[] { ChatMessage.User("Hi there") },
            [ChatMessage.System("Be brief."), ChatMessage.User("Hi there")],
        })
        {
            Assert.Equal(
                template.Render(new PromptValues { Messages = messages }),
                template.Render(new PromptValues { Messages = messages, ForceLegacy = true }));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AFinalAssistantMessageIsLeftOpenToContinue(string name)
    {
        // As in Ollama's templates: a conversation ending in an assistant message is continued, not closed and reopened.
        var template = KnownChatTemplates.Find(name)!.Template;
        var prompt = template.Render(new PromptValues { Messages = [ChatMessage.User("Hi there"), ChatMessage.Assistant("Hello, how")] });
        Assert.EndsWith("Hello, how", prompt);
    }
}
