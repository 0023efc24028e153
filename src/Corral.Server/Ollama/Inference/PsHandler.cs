using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Corral.Server.Scheduling;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Inference;

/// <summary><c>GET /api/ps</c>: the loaded models.</summary>
internal static class PsHandler
{
    public static async Task HandleAsync(HttpContext http, ModelScheduler scheduler, ModelResolver resolver)
    {
        var loaded = await scheduler.SnapshotAsync(http.RequestAborted).ConfigureAwait(false);
        var models = new List<ProcessModelResponse>(loaded.Count);
        foreach (var m in loaded)
        {
            ResolvedModel? resolved = null;
            try
            {
                resolved = resolver.Resolve(m.Name);
            }
            catch (ApiException)
            {
                // Deleted while loaded: still listed, with what the scheduler knows.
            }

            models.Add(new ProcessModelResponse
            {
                Name = m.Name,
                Model = m.Name,
                Size = m.ReportedSize,
                SizeVram = m.SizeVram,
                Digest = resolved?.Stored.ManifestDigest.Hex ?? string.Empty,
                Details = resolved is null ? new ModelDetails() : ModelDetailsBuilder.Build(resolved),
                ExpiresAt = m.ExpiresAt == DateTimeOffset.MaxValue ? ForeverExpiry : m.ExpiresAt,
                ContextLength = m.Request.Launch.ContextPerSlot,
            });
        }

        await JsonResponse.WriteAsync(http, new ProcessResponse { Models = models }, OllamaJsonContext.Wire.ProcessResponse).ConfigureAwait(false);
    }

    /// <summary>What Ollama reports for a model kept forever (or in use): far in the future.</summary>
    private static readonly DateTimeOffset ForeverExpiry = new(2318, 1, 1, 0, 0, 0, TimeSpan.Zero);
}
