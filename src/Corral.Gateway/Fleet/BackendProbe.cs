using System.Net.Http.Headers;
using System.Text.Json;

namespace Corral.Gateway.Fleet;

/// <summary>
/// Reads one backend's /api/ps, /api/tags and /metrics into a <see cref="BackendView"/>. /api/ps and /api/tags must
/// answer for the backend to count as up (they are its health check); /metrics is optional (an older server, or a key
/// without the read scope, just gives no queue depth or slot counts).
/// </summary>
public sealed class BackendProbe(HttpClient http, string? backendKey)
{
    public async Task<BackendView> ReadAsync(Backend backend, CancellationToken cancellation)
    {
        var own = backend.InFlightSnapshot();
        try
        {
            var ps = GetAsync(backend, "api/ps", cancellation);
            var tags = GetAsync(backend, "api/tags", cancellation);
            var metrics = GetAsync(backend, "metrics", cancellation);
            var psEntries = Entries(await ps.ConfigureAwait(false), "models");
            var tagEntries = Entries(await tags.ConfigureAwait(false), "models");
            BackendMetrics scraped;
            try
            {
                scraped = BackendMetrics.Parse(await metrics.ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                scraped = BackendMetrics.Empty;
            }

            var loaded = new Dictionary<string, LoadedModelState>(StringComparer.Ordinal);
            foreach (var entry in psEntries)
            {
                var key = ModelKey.Of(NameOf(entry));
                loaded[key] = new LoadedModelState(key, scraped.Slots.GetValueOrDefault(key), scraped.ActiveSlots.GetValueOrDefault(key), own.ByModel.GetValueOrDefault(key));
            }

            var onDisk = tagEntries.Select(e => ModelKey.Of(NameOf(e))).ToHashSet(StringComparer.Ordinal);
            return new BackendView
            {
                Up = true,
                CheckedAt = DateTimeOffset.UtcNow,
                Loaded = loaded,
                OnDisk = onDisk,
                QueueDepth = scraped.QueueDepth,
                OwnAtCheck = own.Total,
                PsEntries = psEntries,
                TagEntries = tagEntries,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return new BackendView { Up = false, CheckedAt = DateTimeOffset.UtcNow, Error = ex.Message };
        }
    }

    private async Task<string> GetAsync(Backend backend, string path, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(backend.BaseAddress, path));
        if (backendKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", backendKey);
        }

        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET /{path} answered {(int)response.StatusCode}");
        }

        return await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
    }

    private static List<JsonElement> Entries(string json, string property)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return list.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    public static string NameOf(JsonElement entry) =>
        entry.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString()!
        : entry.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString()!
        : string.Empty;
}
