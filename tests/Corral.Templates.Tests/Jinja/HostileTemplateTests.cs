using Corral.Templates.Jinja;

namespace Corral.Templates.Tests.Jinja;

/// <summary>
/// A GGUF's chat template is untrusted input. Templates that nest or loop without end must fail as template errors
/// (or stop when cancelled): a stack overflow would kill the server, and nothing can catch it.
/// </summary>
public sealed class HostileTemplateTests
{
    private const int Deep = 100_000;

    private static readonly Dictionary<string, Func<string>> Nested = new()
    {
        ["parentheses"] = () => "{{ " + new string('(', Deep) + "1" + new string(')', Deep) + " }}",
        ["lists"] = () => "{{ " + new string('[', Deep) + new string(']', Deep) + " }}",
        ["not chain"] = () => "{{ " + string.Concat(Enumerable.Repeat("not ", Deep)) + "1 }}",
        ["minus chain"] = () => "{{ " + new string('-', Deep) + "1 }}",
        ["if blocks"] = () => string.Concat(Enumerable.Repeat("{% if true %}", Deep)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", Deep)),
        ["plus chain"] = () => "{{ 1" + string.Concat(Enumerable.Repeat(" + 1", Deep)) + " }}",
        ["filter chain"] = () => "{{ 'a'" + string.Concat(Enumerable.Repeat("|trim", Deep)) + " }}",
        ["subscript chain"] = () => "{% set x = {} %}{{ x" + string.Concat(Enumerable.Repeat(".a", Deep)) + " }}",
        ["nested data"] = () => "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}",
        ["nested data as json"] = () => "{% set ns = namespace(x=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x | tojson }}",
        ["nested data compared"] = () => "{% set ns = namespace(x=[], y=[]) %}{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% set ns.y = [ns.y] %}{% endfor %}{{ ns.x == ns.y }}",
    };

    public static TheoryData<string> NestedTemplates() => new(Nested.Keys);

    [Theory]
    [InlineData("{{ 'a' * 1000000000000000 }}", "string repetition too large")]
    [InlineData("{{ 1000000000000000 * 'ab' }}", "string repetition too large")]
    [InlineData("{{ 'abc' * 9223372036854775807 }}", "string repetition too large")]
    [InlineData("{{ ([0] * 1000000000000) | length }}", "list repetition too large")]
    [InlineData("{{ ([1, 2] * 4611686018427387904) | length }}", "list repetition too large")]
    public void Repetition_that_would_take_all_memory_is_a_template_error(string source, string message)
    {
        // Found by fuzzing: 'a' * 10**15 exhausted memory and the process died.
        var e = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(source).Render([], FixedTime.Instance));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{ '' * 1000000000000000 }}|{{ (missing | d) * 33333333333331 }}|", "||")]
    [InlineData("{{ ([] * 1000000000000000) | length }}", "0")]
    [InlineData("{{ 'ab' * -5 }}{{ ([1] * -5) | length }}", "0")]
    public void Repeating_nothing_any_number_of_times_is_instant(string source, string expected) =>
        Assert.Equal(expected, JinjaTemplate.Parse(source).Render([], FixedTime.Instance));

    [Fact]
    public void Repetition_within_bounds_still_renders() =>
        Assert.Equal(new string('-', 80) + "|3", JinjaTemplate.Parse("{{ '-' * 80 }}|{{ ([1] * 3) | length }}").Render([], FixedTime.Instance));

    [Theory]
    [MemberData(nameof(NestedTemplates))]
    public void DeepNestingRendersOrIsATemplateError(string what)
    {
        var source = Nested[what]();
        // Whether it fits depends on the thread's stack; what matters is that the process survives either way.
        var e = Record.Exception(() => JinjaTemplate.Parse(source).Render([], FixedTime.Instance));
        Assert.True(e is null or JinjaException, $"{what}: {e}");
    }

    [Fact]
    public void ModestNestingStillWorks()
    {
        var source = "{{ " + new string('(', 50) + "1 + 2" + new string(')', 50) + " }}"
            + string.Concat(Enumerable.Repeat("{% if true %}", 50)) + "x" + string.Concat(Enumerable.Repeat("{% endif %}", 50));
        Assert.Equal("3x", JinjaTemplate.Parse(source).Render([], FixedTime.Instance));
    }

    [Fact]
    public void EndlessLoopsStopWhenCancelled()
    {
        var template = JinjaTemplate.Parse("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => template.Render([], FixedTime.Instance, cancellation.Token));
    }

    [Fact]
    public void ExponentialMacroRecursionStopsWhenCancelled()
    {
        var template = JinjaTemplate.Parse("{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(60) }}");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => template.Render([], FixedTime.Instance, cancellation.Token));
    }
    [Fact]
    public void A_chat_render_that_loops_past_its_time_limit_is_a_template_error()
    {
        const string source = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}";
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<JinjaException>(() => JinjaChatTemplate.Render(source, new JinjaChatInput { Messages = Array.Empty<object>() }, FixedTime.Instance, TimeSpan.FromMilliseconds(300)));
        Assert.Equal("template rendering took longer than 0.3 s", e.Message);
        // The limit is a timer, which may fire a little before a Stopwatch says 300 ms (seen: 299.4): what matters is that
        // the render ran until about then, not that it failed at once for another reason.
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void A_caller_cancelling_a_chat_render_is_not_reported_as_a_slow_template()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        const string source = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}";
        Assert.ThrowsAny<OperationCanceledException>(() => JinjaChatTemplate.Render(source, new JinjaChatInput { Messages = Array.Empty<object>() }, FixedTime.Instance, TimeSpan.FromMinutes(5), cancellation.Token));
    }

    [Theory]
    [InlineData("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}")]
    [InlineData("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}")]
    [InlineData("{% set s = 'x' * 16000000 %}{% for i in range(100000) %}{{ s }}{% endfor %}")]
    [InlineData("{% set s = 'x' * 16000000 %}{{ ([s] * 100) | join | length }}")]
    [InlineData("{% set s = 'x' * 16000000 %}{{ s.replace('x', 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy') | length }}")]
    [InlineData("{% set s = 'x' * 16000000 %}{{ s.replace('', 'yyyyyyyyyyyyyyyyyyyy') | length }}")]
    public void A_template_that_builds_strings_without_end_is_a_template_error(string source)
    {
        // Doubling a string 64 times, or printing a long one 100,000 times, would take all memory and kill the server.
        var e = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(source).Render([], FixedTime.Instance));
        Assert.StartsWith("template output too large", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_strings_within_the_bound_still_render() =>
        Assert.Equal("16000001", JinjaTemplate.Parse("{% set s = 'x' * 16000000 %}{{ (s ~ 'y') | length }}").Render([], FixedTime.Instance));
}
