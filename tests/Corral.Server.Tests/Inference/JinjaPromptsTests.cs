using System.Diagnostics;
using Corral.Api.Ollama;
using Corral.Server.Inference;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// A GGUF chat template's render stops when the client goes away, instead of holding a core until the render's
/// 30 s limit.
/// </summary>
public sealed class JinjaPromptsTests
{
    private const string Endless = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}";

    [Fact]
    public void A_render_stops_when_its_client_goes_away()
    {
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            JinjaPrompts.Render(Endless, [new Message { Role = "user", Content = "hi" }], null, null, new TemplateTokens("<s>", "</s>", RunnerAddsBos: false), gone.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {clock.Elapsed}");
    }
}
