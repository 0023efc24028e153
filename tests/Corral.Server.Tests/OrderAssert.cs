namespace Corral.Server.Tests;

/// <summary>
/// Order checks that fail when an item is missing: a bare <c>IndexOf(a) &lt; IndexOf(b)</c> passes
/// when <c>a</c> is absent (-1 is less than any index).
/// </summary>
internal static class OrderAssert
{
    /// <summary>Each item is in <paramref name="list"/>, and each one's first position is after the previous one's.</summary>
    public static void InOrder<T>(IReadOnlyList<T> list, params T[] items)
    {
        var all = list.ToList();
        var previous = -1;
        for (var i = 0; i < items.Length; i++)
        {
            var at = all.IndexOf(items[i]);
            Assert.True(at >= 0, $"{items[i]} is missing from [{string.Join(", ", all)}]");
            if (at <= previous)
            {
                Assert.Fail($"{items[i]} is not after {items[i - 1]} in [{string.Join(", ", all)}]");
            }

            previous = at;
        }
    }
}
