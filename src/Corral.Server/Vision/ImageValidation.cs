using Corral.Server.Http;
using Corral.Server.Resolution;

namespace Corral.Server.Vision;

/// <summary>Rejects a request's images with a 400 before a model is loaded for it.</summary>
public static class ImageValidation
{
    /// <summary>Ollama's words for images sent to a model without a projector; clients match on them.</summary>
    public const string NoVisionReason = "this model is missing data required for image input";

    /// <summary>
    /// Throws a 400 when <paramref name="images"/> go to a model without a projector, or when one of them
    /// is not an image the runner can decode (numbered from 1 in the order they reach the prompt).
    /// </summary>
    public static void Check(ResolvedModel model, string requestedName, IEnumerable<byte[]>? images)
    {
        if (images is null)
        {
            return;
        }

        var number = 0;
        foreach (var image in images)
        {
            number++;
            if (model.ProjectorPath is null)
            {
                throw ApiException.BadRequest($"\"{requestedName}\" does not support images: {NoVisionReason}");
            }

            if (!ImageInspector.TryInspect(image, out _, out var error))
            {
                throw ApiException.BadRequest($"invalid image input: image {number}: {error}");
            }
        }
    }
}
