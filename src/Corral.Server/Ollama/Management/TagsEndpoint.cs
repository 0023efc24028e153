using Corral.Api.Ollama;
using Corral.Models.Manifests;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Management;

/// <summary><c>GET|HEAD /api/tags</c>: local models, most recently modified first.</summary>
internal static class TagsEndpoint
{
    public static IResult Handle(ModelResolver resolver)
    {
        var store = resolver.Store;
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
            var entry = new ListModelResponse
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
            };

            // Ollama 0.33 lists capabilities and the GGUF's lengths too. The resolver reads each GGUF header once per
            // manifest version; a model whose weights are missing or unreadable is still listed, without them.
            try
            {
                var resolved = resolver.Resolve(stored);
                entry.Capabilities = resolved.Capabilities;
                entry.Details.ContextLength = resolved.TrainContextLength;
                entry.Details.EmbeddingLength = resolved.EmbeddingLength;
            }
            catch (Exception ex) when (ex is ApiException or global::System.Text.Json.JsonException or IOException or InvalidDataException or ArgumentException)
            {
            }

            models.Add(entry);
        }

        // Whole seconds, stable, newest first: the same order Ollama gives.
        var ordered = models.OrderByDescending(m => m.ModifiedAt.ToUnixTimeSeconds()).ToList();
        return Results.Json(new ListResponse { Models = ordered }, OllamaJsonContext.Wire.ListResponse);
    }
}
