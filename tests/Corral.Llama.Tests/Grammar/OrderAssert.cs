namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// Order checks that fail when an item is missing: a bare <c>IndexOf(a) &lt; IndexOf(b)</c> passes
/// when <c>a</c> is absent (-1 is less than any index).
/// </summary>
internal static class OrderAssert
{
    /// <summary>Each item occurs in <paramref name="text"/>, and each one's first occurrence is after the previous one's.</summary>
    public static void InOrder(string text, params string[] items)
    {
        var previous = -1;
        for (var i = 0; i < items.Length; i++)
        {
            var at = text.IndexOf(items[i], StringComparison.Ordinal);
            Assert.True(at >= 0, $"'{items[i]}' is missing from: {text}");
            if (at <= previous)
            {
                Assert.Fail($"'{items[i]}' is not after '{items[i - 1]}' in: {text}");
            }

            previous = at;
        }
    }
}
