using Corral.Api.Native;
using Corral.Models.Manifests;
using Corral.Models.Store;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Native.Management;

/// <summary><c>GET|HEAD /api/tags</c>: local models, most recently modified first.</summary>
internal static class TagsEndpoint
{
    public static IResult Handle(ModelStore store)
    {
        var models = new List<ListModelResponse>();
        foreach (var stored in store.ListModels())
        {
            ModelConfig config;
            try
            {
                config = store.ReadConfig(stored.Manifest);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // Ollama leaves out models whose config blob is missing or unreadable.
                continue;
            }

            var name = stored.Name.DisplayShortest();
            models.Add(new ListModelResponse
            {
                Name = name,
                Model = name,
                ModifiedAt = stored.ModifiedAt.ToLocalTime(),
                Size = stored.Size,
                Digest = stored.ManifestDigest.Hex,
                Details = new ModelDetails
                {
                    Format = config.ModelFormat,
                    Family = config.ModelFamily,
                    Families = config.ModelFamilies,
                    ParameterSize = config.ModelType,
                    QuantizationLevel = config.FileType,
                },
            });
        }

        // Whole seconds, stable, newest first: the same order Ollama gives.
        var ordered = models.OrderByDescending(m => m.ModifiedAt.ToUnixTimeSeconds()).ToList();
        return Results.Json(new ListResponse { Models = ordered }, NativeJsonContext.Wire.ListResponse);
    }
}
