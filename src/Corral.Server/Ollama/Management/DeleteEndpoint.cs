using Corral.Api.Ollama;
using Corral.Models.Formatting;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Server.Http;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// <c>DELETE /api/delete</c>: unloads the model if it is running, removes its manifest and (unless
/// OLLAMA_NOPRUNE) the blobs no other model uses. 200 with an empty body.
/// </summary>
internal static class DeleteEndpoint
{
    public static async Task HandleAsync(HttpContext http, ModelStore store, ModelScheduler scheduler)
    {
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.DeleteRequest).ConfigureAwait(false);
        var text = request.ResolveModel();
        if (string.IsNullOrWhiteSpace(text))
        {
            // Ollama's words for no name at all; a name that doesn't parse gets the "is invalid" below.
            throw ApiException.BadRequest("model is required");
        }

        var name = ModelName.Parse(text);
        if (!name.IsValid)
        {
            throw ApiException.BadRequest($"name {GoText.Quote(text)} is invalid");
        }

        if (!store.TryGetManifest(name, out var stored))
        {
            throw ApiException.NotFound($"model '{text}' not found");
        }

        // The scheduler keys runners by name; unload under both spellings a request may have used.
        await scheduler.UnloadAsync(stored.Name.DisplayShortest(), http.RequestAborted).ConfigureAwait(false);
        await scheduler.UnloadAsync(stored.Name.DisplayFull(), http.RequestAborted).ConfigureAwait(false);

        if (!store.Delete(stored.Name))
        {
            throw ApiException.NotFound($"model '{text}' not found");
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
