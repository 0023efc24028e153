namespace Corral.Bench.Soak;

/// <summary>Short random prompts: different enough that the prefix cache both hits and misses, short enough for 2 cores.</summary>
internal static class Prompts
{
    private static readonly string[] Words =
    [
        "river", "stone", "quiet", "market", "lantern", "orbit", "copper", "meadow", "signal", "harbor",
        "violet", "engine", "winter", "garden", "thread", "canyon", "pilot", "ember", "glass", "summit",
        "why", "how", "tell", "me", "about", "the", "a", "of", "and", "please",
    ];

    public static string Next(Random random, int minWords = 3, int maxWords = 12)
    {
        var count = random.Next(minWords, maxWords + 1);
        return string.Join(' ', Enumerable.Range(0, count).Select(_ => Words[random.Next(Words.Length)]));
    }
}
