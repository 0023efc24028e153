using Corral.Templates.Jinja;

namespace Corral.Templates.Tests.Jinja;

/// <summary>
/// <c>x.0</c> is <c>x[0]</c>. Fuzzing found that an index too large for a long threw OverflowException out of the
/// parser (fuzz/corpus/jinja/crash-*); it is now an attribute lookup that finds nothing, as in Jinja.
/// </summary>
public sealed class NumericAttributeTests
{
    private static readonly string[] AB = ["a", "b"];
    private static readonly string[] A = ["a"];

    [Fact]
    public void A_numeric_attribute_indexes_a_list() =>
        Assert.Equal("b", JinjaTemplate.Parse("{{ x.1 }}").Render([new("x", AB)]));

    [Fact]
    public void A_numeric_attribute_past_long_is_undefined_not_an_overflow() =>
        Assert.Equal("", JinjaTemplate.Parse("{{ x.155555555555555555555555555555 }}").Render([new("x", A)]));
}
