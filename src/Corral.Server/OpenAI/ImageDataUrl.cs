using Corral.Server.Http;

namespace Corral.Server.OpenAI;

/// <summary>
/// Decodes the <c>data:</c> URLs OpenAI clients put in <c>image_url</c> (remote URLs are not fetched). The
/// errors are Ollama's words, which clients match on.
/// </summary>
internal static class ImageDataUrl
{
    private static readonly string[] Prefixes = ["data:image/jpeg;base64,", "data:image/jpg;base64,", "data:image/png;base64,", "data:image/webp;base64,", "data:;base64,"];

    public static byte[] Decode(string url)
    {
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest("image URLs are not currently supported, please use base64 encoded data instead");
        }

        foreach (var prefix in Prefixes)
        {
            if (url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    return Convert.FromBase64String(url[prefix.Length..]);
                }
                catch (FormatException)
                {
                    throw ApiException.BadRequest("invalid image input");
                }
            }
        }

        throw ApiException.BadRequest("invalid image input");
    }
}
