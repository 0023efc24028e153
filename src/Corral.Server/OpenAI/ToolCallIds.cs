namespace Corral.Server.OpenAI;

/// <summary>Ids for tool calls (<c>call_</c> + 8 random characters) and completions.</summary>
internal static class ToolCallIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewCallId() => string.Create(13, 0, static (span, _) =>
    {
        "call_".CopyTo(span);
        for (var i = 5; i < span.Length; i++)
        {
            span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    });

    public static string NewCompletionId(string prefix) => prefix + Random.Shared.Next(1, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
