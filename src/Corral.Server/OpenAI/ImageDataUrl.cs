using Corral.Server.Http;

namespace Corral.Server.OpenAI;

/// <summary>Decodes the <c>data:</c> URLs OpenAI clients put in <c>image_url</c> (remote URLs are not fetched).</summary>
internal static class ImageDataUrl
{
    private static readonly string[] Prefixes = ["data:image/jpeg;base64,", "data:image/jpg;base64,", "data:image/png;base64,", "data:image/webp;base64,", "data:;base64,"];

    public static byte[] Decode(string url)
    {
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
                    throw ApiException.BadRequest("invalid image input: the data URL is not valid base64");
                }
            }
        }

        throw ApiException.BadRequest("invalid image input: expected a data:image/(png|jpeg|webp);base64 URL");
    }
}
