namespace Corral.Server.OpenAI.Responses;

/// <summary>Ids of responses and their items: a prefix (<c>resp_</c>, <c>msg_</c>, <c>rs_</c>, <c>fc_</c>) and 24 random hex digits.</summary>
public static class ResponseIds
{
    public static string New(string prefix) => string.Create(prefix.Length + 24, prefix, static (span, prefix) =>
    {
        prefix.CopyTo(span);
        Span<byte> bytes = stackalloc byte[12];
        Random.Shared.NextBytes(bytes);
        Convert.TryToHexStringLower(bytes, span[prefix.Length..], out _);
    });
}
