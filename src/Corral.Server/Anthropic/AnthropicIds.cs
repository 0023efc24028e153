namespace Corral.Server.Anthropic;

/// <summary>Ids in Anthropic's style: <c>msg_</c> and <c>toolu_</c> followed by 24 random base62 characters.</summary>
internal static class AnthropicIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewMessageId() => New("msg_");

    public static string NewToolUseId() => New("toolu_");

    private static string New(string prefix) => string.Create(prefix.Length + 24, prefix, static (span, prefix) =>
    {
        prefix.CopyTo(span);
        for (var i = prefix.Length; i < span.Length; i++)
        {
            span[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }
    });
}
