using System.Net;
using System.Text;
using System.Text.Json;

namespace Corral.Server.Tests.Management;

/// <summary>Raw HTTP for inputs the typed client would never send.</summary>
internal static class RawApi
{
    public static async Task<(HttpStatusCode Status, string? Error)> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, ErrorOf(body));
    }

    public static async Task<(HttpStatusCode Status, string? Error)> PostBytesAsync(HttpClient http, string path, byte[] content)
    {
        using var response = await http.PostAsync(path, new ByteArrayContent(content));
        return (response.StatusCode, ErrorOf(await response.Content.ReadAsStringAsync()));
    }

    private static string? ErrorOf(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
