using System.Text.Json;
using System.Threading.Channels;
using Corral.Api.Ollama;
using Corral.Models.Registry;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Registry;

/// <summary>
/// Runs a pull or push and writes its progress as Ollama does: NDJSON lines while streaming (an
/// error after the first line becomes an <c>{"error": ...}</c> line), or one final object otherwise.
/// </summary>
internal static class ProgressStream
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static async Task RunAsync(HttpContext http, bool streaming, Func<Action<RegistryProgress>, Task> operation)
    {
        // The operation reports from download threads; a channel hands the lines to the one response writer.
        var channel = Channel.CreateUnbounded<RegistryProgress>(new UnboundedChannelOptions { SingleReader = true });
        var work = Task.Run(async () =>
        {
            try
            {
                await operation(p => channel.Writer.TryWrite(p)).ConfigureAwait(false);
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });

        // A write that fails because the client left throws here; the operation sees the same
        // RequestAborted token and stops on its own, leaving only partial files.
        var cancellationToken = http.RequestAborted;
        RegistryProgress? last = null;
        await foreach (var progress in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            last = progress;
            if (streaming)
            {
                await WriteLineAsync(http, ToWire(progress), cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var (status, message) = Map(http, e);
            if (!streaming || !http.Response.HasStarted)
            {
                await ApiError.WriteAsync(http, status, message).ConfigureAwait(false);
                return;
            }

            await http.Response.Body.WriteAsync(ApiError.Serialize(message), CancellationToken.None).ConfigureAwait(false);
            await http.Response.Body.WriteAsync(NewLine, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        if (!streaming && last is { } final)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(ToWire(final), OllamaJsonContext.Wire.ProgressResponse), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static (int Status, string Message) Map(HttpContext http, Exception e) => e switch
    {
        RegistryException registry => (StatusCodes.Status500InternalServerError, registry.Message),
        _ => ErrorHandlingMiddleware.MapStreamFailure(http, e),
    };

    private static ProgressResponse ToWire(RegistryProgress progress) => new()
    {
        Status = progress.Status,
        Digest = progress.Digest,
        Total = progress.Total,
        Completed = progress.Completed,
    };

    private static async Task WriteLineAsync(HttpContext http, ProgressResponse progress, CancellationToken cancellationToken)
    {
        if (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/x-ndjson";
        }

        await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(progress, OllamaJsonContext.Wire.ProgressResponse), cancellationToken)
            .ConfigureAwait(false);
        await http.Response.Body.WriteAsync(NewLine, cancellationToken).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
