using Corral.Server.Http;

namespace Corral.Server.OpenAI.Responses;

/// <summary>
/// OpenAI's <c>include</c> values. Corral writes what they ask for anyway (a reasoning item carries its text in
/// <c>encrypted_content</c>; image inputs are kept as sent), or has nothing to add (no logprobs, no hosted tools),
/// so they are checked and accepted; an unknown value is refused as OpenAI refuses it.
/// </summary>
internal static class IncludeValues
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "reasoning.encrypted_content",
        "message.output_text.logprobs",
        "message.input_image.image_url",
        "computer_call_output.output.image_url",
        "file_search_call.results",
        "web_search_call.results",
        "web_search_call.action.sources",
        "code_interpreter_call.outputs",
    };

    public static void Check(IEnumerable<string?>? values)
    {
        foreach (var value in values ?? [])
        {
            if (value is not null && !Known.Contains(value))
            {
                throw ApiException.BadRequest($"include: unknown value '{value}' (known: {string.Join(", ", Known)})");
            }
        }
    }
}
