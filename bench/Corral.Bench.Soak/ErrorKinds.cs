using System.Net.Sockets;

namespace Corral.Bench.Soak;

/// <summary>
/// Words an error by kind, short enough that the same failure on different requests lands in one row: the HTTP status
/// and the first words of the server's error, or the exception type (and its inner one) with the first words.
/// </summary>
internal static class ErrorKinds
{
    private const int Words = 6;

    public static string Http(int status, string body) => $"HTTP {status}: {FirstWords(ErrorText(body))}";

    public static string Exception(Exception e)
    {
        var inner = e.InnerException switch
        {
            SocketException s => $" ({s.SocketErrorCode})",
            { } i => $" ({i.GetType().Name}: {FirstWords(i.Message)})",
            null => "",
        };
        return $"{e.GetType().Name}: {FirstWords(e.Message)}{inner}";
    }

    /// <summary>The first few words, without digits that differ from request to request (ids, durations).</summary>
    public static string FirstWords(string text)
    {
        var words = text.Split((char[])[' ', '\n', '\r', '\t'], Words + 1, StringSplitOptions.RemoveEmptyEntries).Take(Words);
        var joined = string.Join(' ', words);
        return new string(joined.Select(c => char.IsAsciiDigit(c) ? '#' : c).ToArray());
    }

    /// <summary>The "error" of an error body (Ollama's <c>{"error": "..."}</c> or OpenAI's <c>{"error": {"message": ...}}</c>), else the body.</summary>
    public static string ErrorText(string body) => Json.ErrorMessage(body) ?? body;
}
