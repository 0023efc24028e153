using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Models.Creation;
using Corral.Models.Manifests;
using Corral.Models.Store;
using Corral.Runner.Client;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// <c>POST /api/create</c>: NDJSON progress lines (default) or one final object with
/// <c>"stream": false</c>. Bad input is refused with a status code before streaming starts; a
/// failure after the first line is reported as a final <c>{"error": "..."}</c> line, as Ollama does.
/// The work is <see cref="ModelCreator"/>'s; its exceptions get their status in <see cref="ErrorHandlingMiddleware.Map"/>.
/// </summary>
internal static partial class CreateEndpoint
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task HandleAsync(HttpContext http, ModelStore store, EnvironmentSource environment, ILoggerFactory loggers)
    {
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.CreateRequest).ConfigureAwait(false);
        var creator = new ModelCreator(store, new ProcessQuantizer(environment), CreateChecks.Instance);
        var plan = creator.Prepare(ToInput(request));
        var cancellation = http.RequestAborted;

        if (!request.IsStreaming)
        {
            CreateProgress last = default;
            await creator.ExecuteAsync(plan, p => { last = p; return Task.CompletedTask; }, cancellation).ConfigureAwait(false);
            await Results.Json(ToResponse(last), OllamaJsonContext.Wire.ProgressResponse).ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        http.Response.ContentType = "application/x-ndjson";
        try
        {
            await creator.ExecuteAsync(plan, p => WriteLineAsync(http, ToResponse(p)), cancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (http.Response.HasStarted && !cancellation.IsCancellationRequested)
        {
            var (status, message) = ErrorHandlingMiddleware.Map(ex);
            if (status >= 500)
            {
                LogFailed(loggers.CreateLogger(typeof(CreateEndpoint).FullName!), plan.Name.DisplayShortest(), ex);
            }

            await http.Response.Body.WriteAsync(ApiError.Serialize(message), cancellation).ConfigureAwait(false);
            await http.Response.Body.WriteAsync(NewLine, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>The request in the creator's terms: legacy spellings resolved, an empty single license dropped, messages reduced to role and content.</summary>
    internal static CreateInput ToInput(CreateRequest request) => new()
    {
        Model = request.ResolveModel(),
        From = request.From,
        Files = request.Files,
        Adapters = request.Adapters,
        DraftFiles = request.DraftFiles,
        Quantize = !string.IsNullOrEmpty(request.Quantize) ? request.Quantize : request.Quantization,
        DraftQuantize = request.DraftQuantize,
        Template = request.Template,
        System = request.System,
        Licenses = request.License is not { } license ? [] : license.IsArray ? license.Values : [.. license.Values.Where(l => !string.IsNullOrEmpty(l))],
        Parameters = request.Parameters,
        Messages = request.Messages?.Select(m => new ManifestMessage(m.Role, m.Content)).ToList(),
        Renderer = request.Renderer,
        Parser = request.Parser,
    };

    private static ProgressResponse ToResponse(CreateProgress progress) =>
        new() { Status = progress.Status, Digest = progress.Digest, Total = progress.Total, Completed = progress.Completed };

    private static async Task WriteLineAsync(HttpContext http, ProgressResponse progress)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(progress, OllamaJsonContext.Wire.ProgressResponse);
        await http.Response.Body.WriteAsync(json, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.WriteAsync(NewLine, http.RequestAborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "create {Model} failed")]
    private static partial void LogFailed(ILogger logger, string model, Exception ex);
}
