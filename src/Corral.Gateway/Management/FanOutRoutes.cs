using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Corral.Gateway.Configuration;
using Corral.Gateway.Fleet;
using Corral.Gateway.Observability;
using Corral.Gateway.Proxy;
using Corral.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Corral.Gateway.Management;

/// <summary>
/// <c>pull</c>, <c>create</c>, <c>copy</c>, <c>delete</c> and <c>/api/blobs</c> go to every backend that is up (draining
/// ones included: maintenance is no reason to keep an old model), or to the one named by <c>X-Corral-Backend</c>.
/// Streamed progress is merged (<see cref="ProgressMerger"/>); a plain answer is the backends' common one. Copy and
/// delete succeed where the model exists: backends that answer 404 do not count as failures while one succeeded.
/// </summary>
public static class FanOutRoutes
{
    public static IEndpointRouteBuilder MapFanOutRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/pull", static (HttpContext http, FanOutContext fan) => FanOutJsonAsync(http, fan, "pull", streamsByDefault: true, missingIsFine: false));
        routes.MapPost("/api/create", static (HttpContext http, FanOutContext fan) => FanOutJsonAsync(http, fan, "create", streamsByDefault: true, missingIsFine: false));
        routes.MapPost("/api/copy", static (HttpContext http, FanOutContext fan) => FanOutJsonAsync(http, fan, "copy", streamsByDefault: false, missingIsFine: true));
        routes.MapDelete("/api/delete", static (HttpContext http, FanOutContext fan) => FanOutJsonAsync(http, fan, "delete", streamsByDefault: false, missingIsFine: true));
        routes.MapMethods("/api/blobs/{**digest}", [HttpMethods.Head], static (HttpContext http, FanOutContext fan) => BlobExistsAsync(http, fan));
        routes.MapPost("/api/blobs/{**digest}", static (HttpContext http, FanOutContext fan) => BlobUploadAsync(http, fan));
        return routes;
    }

    private static async Task FanOutJsonAsync(HttpContext http, FanOutContext fan, string operation, bool streamsByDefault, bool missingIsFine)
    {
        if (await fan.TargetsAsync(http).ConfigureAwait(false) is not { } targets)
        {
            return;
        }

        var body = await RequestBody.ReadAsync(http.Request, fan.Settings.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await GatewayErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "request body too large").ConfigureAwait(false);
            return;
        }

        var streaming = StreamRequested(body) ?? streamsByDefault;
        var method = new HttpMethod(http.Request.Method);
        var path = http.Request.Path + http.Request.QueryString;
        var authorization = http.Request.Headers.Authorization.ToString();
        var responses = await Task.WhenAll(targets.Select(async backend =>
        {
            try
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return (backend, Response: await fan.Client.SendAsync(backend, method, path, content, authorization, http.RequestAborted).ConfigureAwait(false), Error: (string?)null);
            }
            catch (HttpRequestException ex)
            {
                return (backend, Response: (HttpResponseMessage?)null, Error: ex.Message);
            }
        })).ConfigureAwait(false);

        try
        {
            var ok = responses.Where(r => r.Response is { IsSuccessStatusCode: true }).ToList();
            var failed = responses.Where(r => r.Response is not { IsSuccessStatusCode: true }).ToList();
            if (missingIsFine && ok.Count > 0)
            {
                failed.RemoveAll(r => r.Response?.StatusCode == HttpStatusCode.NotFound);
            }

            if (ok.Count == 0 || (!streaming && failed.Count > 0))
            {
                foreach (var r in responses)
                {
                    fan.Metrics.FannedOut(operation, r.backend, ok.Any(o => o.backend == r.backend));
                }

                await WriteFailureAsync(http, failed).ConfigureAwait(false);
                return;
            }

            if (!streaming)
            {
                foreach (var r in responses)
                {
                    fan.Metrics.FannedOut(operation, r.backend, ok: true);
                }

                var first = ok[0].Response!;
                http.Response.StatusCode = (int)first.StatusCode;
                if (first.Content.Headers.ContentType is { } type)
                {
                    http.Response.ContentType = type.ToString();
                }

                await first.Content.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
                return;
            }

            await MergeProgressAsync(http, fan, operation, ok.Select(r => (r.backend, r.Response!)).ToList(), failed).ConfigureAwait(false);
        }
        finally
        {
            foreach (var r in responses)
            {
                r.Response?.Dispose();
            }

            await fan.Monitor.RefreshNowAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task MergeProgressAsync(HttpContext http, FanOutContext fan, string operation,
        List<(Backend Backend, HttpResponseMessage Response)> streams, List<(Backend backend, HttpResponseMessage? Response, string? Error)> failed)
    {
        var merger = new ProgressMerger();
        foreach (var f in failed)
        {
            merger.Fail(f.backend.Name, await ErrorTextAsync(f.Response, f.Error, http.RequestAborted).ConfigureAwait(false));
            fan.Metrics.FannedOut(operation, f.backend, ok: false);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/x-ndjson";
        var gate = new SemaphoreSlim(1, 1);
        await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
        await Task.WhenAll(streams.Select(async s =>
        {
            try
            {
                using var reader = new StreamReader(await s.Response.Content.ReadAsStreamAsync(http.RequestAborted).ConfigureAwait(false));
                while (await reader.ReadLineAsync(http.RequestAborted).ConfigureAwait(false) is { } line)
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    await gate.WaitAsync(http.RequestAborted).ConfigureAwait(false);
                    try
                    {
                        using var document = JsonDocument.Parse(line);
                        if (merger.Add(s.Backend.Name, document.RootElement) is { } merged)
                        {
                            await http.Response.Body.WriteAsync(merged, http.RequestAborted).ConfigureAwait(false);
                            await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException)
            {
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                merger.Fail(s.Backend.Name, ex.Message);
                gate.Release();
            }

            await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            var succeeded = !merger.HasFailed(s.Backend.Name);
            gate.Release();
            fan.Metrics.FannedOut(operation, s.Backend, succeeded);
        })).ConfigureAwait(false);

        await http.Response.Body.WriteAsync(merger.Final(streams.Count), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Nothing succeeded (or a plain answer failed somewhere): the first failure's status, every failure's words.</summary>
    private static async Task WriteFailureAsync(HttpContext http, List<(Backend backend, HttpResponseMessage? Response, string? Error)> failed)
    {
        var messages = new List<string>();
        foreach (var f in failed)
        {
            messages.Add($"{f.backend.Name}: {await ErrorTextAsync(f.Response, f.Error, http.RequestAborted).ConfigureAwait(false)}");
        }

        var status = failed.Select(f => f.Response is null ? StatusCodes.Status502BadGateway : (int)f.Response.StatusCode).DefaultIfEmpty(StatusCodes.Status502BadGateway).First();
        await ApiError.WriteAsync(http, status, messages.Count == 1 && failed[0].Response is not null ? StripName(messages[0], failed[0].backend) : string.Join("; ", messages)).ConfigureAwait(false);
    }

    /// <summary>A single backend's error is passed on in its own words, so a client matching Ollama's texts still can.</summary>
    private static string StripName(string message, Backend backend) => message[(backend.Name.Length + 2)..];

    private static async Task<string> ErrorTextAsync(HttpResponseMessage? response, string? error, CancellationToken cancellation)
    {
        if (response is null)
        {
            return error ?? "no answer";
        }

        var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                return e.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        return text.Length > 0 ? text : $"status {(int)response.StatusCode}";
    }

    private static bool? StreamRequested(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("stream", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? s.GetBoolean()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task BlobExistsAsync(HttpContext http, FanOutContext fan)
    {
        if (await fan.TargetsAsync(http).ConfigureAwait(false) is not { } targets)
        {
            return;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        var statuses = await Task.WhenAll(targets.Select(async backend =>
        {
            try
            {
                using var response = await fan.Client.SendAsync(backend, HttpMethod.Head, http.Request.Path, null, authorization, http.RequestAborted).ConfigureAwait(false);
                return (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return StatusCodes.Status502BadGateway;
            }
        })).ConfigureAwait(false);

        // Present only when every backend has it: otherwise the client uploads it, and the upload goes to all.
        http.Response.StatusCode = statuses.All(s => s == StatusCodes.Status200OK) ? StatusCodes.Status200OK : statuses.First(s => s != StatusCodes.Status200OK);
    }

    /// <summary>An upload is spooled to a temp file once, then sent to every backend from it.</summary>
    private static async Task BlobUploadAsync(HttpContext http, FanOutContext fan)
    {
        if (await fan.TargetsAsync(http).ConfigureAwait(false) is not { } targets)
        {
            return;
        }

        var spool = Path.Combine(Path.GetTempPath(), $"corral-gateway-blob-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await http.Request.Body.CopyToAsync(file, http.RequestAborted).ConfigureAwait(false);
            }

            var authorization = http.Request.Headers.Authorization.ToString();
            var responses = await Task.WhenAll(targets.Select(async backend =>
            {
                try
                {
                    await using var source = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                    using var response = await fan.Client.SendAsync(backend, HttpMethod.Post, http.Request.Path, new StreamContent(source), authorization, http.RequestAborted).ConfigureAwait(false);
                    fan.Metrics.FannedOut("blobs", backend, response.IsSuccessStatusCode);
                    return (backend, Status: (int)response.StatusCode, Error: response.IsSuccessStatusCode ? null : await ErrorTextAsync(response, null, http.RequestAborted).ConfigureAwait(false));
                }
                catch (HttpRequestException ex)
                {
                    fan.Metrics.FannedOut("blobs", backend, ok: false);
                    return (backend, Status: StatusCodes.Status502BadGateway, Error: ex.Message);
                }
            })).ConfigureAwait(false);

            var failure = responses.FirstOrDefault(r => r.Error is not null);
            if (failure.Error is not null)
            {
                await ApiError.WriteAsync(http, failure.Status, string.Join("; ", responses.Where(r => r.Error is not null).Select(r => $"{r.backend.Name}: {r.Error}"))).ConfigureAwait(false);
                return;
            }

            http.Response.StatusCode = responses[0].Status;
        }
        finally
        {
            File.Delete(spool);
        }
    }
}
