using Corral.Api.Ollama;
using Corral.Models.Formatting;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Management;

/// <summary><c>POST /api/copy</c>: a second name for the same manifest (200, empty body).</summary>
internal static class CopyEndpoint
{
    public static async Task HandleAsync(HttpContext http, ModelStore store)
    {
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.CopyRequest).ConfigureAwait(false);
        var source = ModelName.Parse(request.Source);
        if (!source.IsValid)
        {
            throw ApiException.BadRequest($"source {GoText.Quote(request.Source)} is invalid");
        }

        var destination = ModelName.Parse(request.Destination);
        if (!destination.IsValid)
        {
            throw ApiException.BadRequest($"destination {GoText.Quote(request.Destination)} is invalid");
        }

        if (!store.TryGetManifest(source, out _))
        {
            throw ApiException.NotFound($"model {GoText.Quote(request.Source)} not found");
        }

        store.Copy(source, destination);
        http.Response.StatusCode = StatusCodes.Status200OK;
    }
}
