using Corral.Api.OpenAI;
using Corral.Models.Store;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{model}</c>.</summary>
internal static class ModelsHandler
{
    public static Task ListAsync(HttpContext http, ModelStore store)
    {
        var data = store.ListModels()
            .OrderByDescending(m => m.ModifiedAt.ToUnixTimeSeconds())
            .Select(m => ToModel(m.Name.DisplayShortest(), m))
            .ToList();
        return JsonResponse.WriteAsync(http, new ModelList { Data = data }, OpenAIJsonContext.Wire.ModelList);
    }

    public static Task GetAsync(HttpContext http, ModelStore store, string model)
    {
        var name = ModelResolver.ParseName(model);
        if (!store.TryGetManifest(name, out var stored))
        {
            // Ollama answers this route with its /api/show handler, so in its words.
            throw ApiException.NotFound($"model '{name.DisplayShortest()}' not found");
        }

        return JsonResponse.WriteAsync(http, ToModel(model, stored), OpenAIJsonContext.Wire.ModelObject);
    }

    /// <summary>created is the manifest's modification time; owned_by the namespace ("library" for official models), as Ollama.</summary>
    private static ModelObject ToModel(string id, StoredModel stored) => new()
    {
        Id = id,
        Created = stored.ModifiedAt.ToUnixTimeSeconds(),
        OwnedBy = stored.Name.Namespace,
    };
}
