using System.Net;
using System.Text;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Corral.Api.Tests.Client;

public sealed class OllamaClientTests
{
    private static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await context.Response.Body.FlushAsync();
    }

    [Fact]
    public async Task Streams_generate_lines_split_across_writes()
    {
        string? body = null;
        await using var server = await FakeOllamaServer.StartAsync(app => app.MapPost("/api/generate", async context =>
        {
            body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Response.ContentType = "application/x-ndjson";
            await WriteAsync(context, "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"response\":\"Hel\",\"done\":false}\n{\"model\":\"m\",\"crea");
            await Task.Delay(20);
            await WriteAsync(context, "ted_at\":\"2024-01-01T00:00:00.5Z\",\"response\":\"lo\",\"done\":false}\n\n");
            await WriteAsync(context, "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:01Z\",\"response\":\"\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}");
        }));
        using var client = new OllamaClient(server.BaseAddress);

        var chunks = new List<GenerateResponse>();
        await foreach (var chunk in client.GenerateStreamAsync(new GenerateRequest { Model = "m", Prompt = "hi" }))
        {
            chunks.Add(chunk);
        }

        Assert.Equal(["Hel", "lo", ""], chunks.Select(c => c.Response));
        Assert.True(chunks[^1].Done);
        Assert.Equal(2, chunks[^1].EvalCount);
        Assert.Equal(TimeSpan.FromMilliseconds(500), chunks[1].CreatedAt - chunks[0].CreatedAt);
        Assert.Contains("\"stream\":true", body);
    }

    [Fact]
    public async Task Non_streaming_chat_sends_stream_false_and_reads_one_object()
    {
        string? body = null;
        await using var server = await FakeOllamaServer.StartAsync(app => app.MapPost("/api/chat", async context =>
        {
            body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Response.ContentType = "application/json";
            await WriteAsync(context, "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\"},\"done\":true}");
        }));
        using var client = new OllamaClient(server.BaseAddress);

        var response = await client.ChatAsync(new ChatRequest { Model = "m", Messages = [new Message { Role = "user", Content = "hello" }] });

        Assert.Equal("Hi!", response.Message.Content);
        Assert.Contains("\"stream\":false", body);
        Assert.Contains("\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]", body);
    }

    [Fact]
    public async Task Error_line_mid_stream_throws_after_earlier_chunks()
    {
        await using var server = await FakeOllamaServer.StartAsync(app => app.MapPost("/api/chat", async context =>
        {
            await WriteAsync(context, "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\",\"content\":\"A\"},\"done\":false}\n");
            await WriteAsync(context, "{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n");
        }));
        using var client = new OllamaClient(server.BaseAddress);

        var received = new List<string>();
        var ex = await Assert.ThrowsAsync<OllamaApiException>(async () =>
        {
            await foreach (var chunk in client.ChatStreamAsync(new ChatRequest { Model = "m" }))
            {
                received.Add(chunk.Message.Content);
            }
        });

        Assert.Equal(["A"], received);
        Assert.True(ex.MidStream);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal("an error was encountered while running the model: unexpected EOF", ex.ErrorMessage);
    }

    [Fact]
    public async Task Status_codes_surface_with_the_servers_error_text()
    {
        await using var server = await FakeOllamaServer.StartAsync(app =>
        {
            app.MapPost("/api/show", () => Results.Text("{\"error\":\"model 'nope' not found\"}", "application/json", statusCode: 404));
            app.MapPost("/api/pull", () => Results.Text("{\"error\":\"pull model manifest: file does not exist\"}", "application/json", statusCode: 500));
            app.MapGet("/api/tags", () => Results.Text("<html>bad gateway</html>", "text/html", statusCode: 502));
        });
        using var client = new OllamaClient(server.BaseAddress);

        var show = await Assert.ThrowsAsync<OllamaApiException>(() => client.ShowAsync(new ShowRequest { Model = "nope" }));
        Assert.Equal(HttpStatusCode.NotFound, show.StatusCode);
        Assert.Equal("model 'nope' not found", show.Message);
        Assert.False(show.MidStream);

        var pull = await Assert.ThrowsAsync<OllamaApiException>(async () =>
        {
            await foreach (var _ in client.PullAsync(new PullRequest { Model = "x" }))
            {
            }
        });
        Assert.Equal(HttpStatusCode.InternalServerError, pull.StatusCode);
        Assert.Equal("pull model manifest: file does not exist", pull.ErrorMessage);

        var list = await Assert.ThrowsAsync<OllamaApiException>(() => client.ListAsync());
        Assert.Equal(HttpStatusCode.BadGateway, list.StatusCode);
        Assert.Equal("<html>bad gateway</html>", list.ErrorMessage);
    }

    [Fact]
    public async Task Version_list_ps_copy_delete_and_progress()
    {
        string? deleteBody = null;
        string? copyBody = null;
        await using var server = await FakeOllamaServer.StartAsync(app =>
        {
            app.MapGet("/api/version", () => Results.Text("{\"version\":\"0.12.6\"}", "application/json"));
            app.MapGet("/api/tags", () => Results.Text("{\"models\":[{\"name\":\"a:latest\",\"model\":\"a:latest\",\"modified_at\":\"2024-01-01T00:00:00Z\",\"size\":5,\"digest\":\"ab\",\"details\":{\"format\":\"gguf\"}}]}", "application/json"));
            app.MapGet("/api/ps", () => Results.Text("{\"models\":[]}", "application/json"));
            app.MapPost("/api/copy", async context => copyBody = await new StreamReader(context.Request.Body).ReadToEndAsync());
            app.MapDelete("/api/delete", async context => deleteBody = await new StreamReader(context.Request.Body).ReadToEndAsync());
            app.MapPost("/api/create", () => Results.Text("{\"status\":\"using existing layer sha256:1\"}\n{\"status\":\"writing manifest\"}\n{\"status\":\"success\"}\n", "application/x-ndjson"));
        });
        using var client = new OllamaClient(server.BaseAddress);

        Assert.Equal("0.12.6", (await client.VersionAsync()).Version);
        Assert.Equal("gguf", Assert.Single((await client.ListAsync()).Models).Details.Format);
        Assert.Empty((await client.PsAsync()).Models);
        await client.CopyAsync(new CopyRequest { Source = "a", Destination = "b" });
        Assert.Equal("{\"source\":\"a\",\"destination\":\"b\"}", copyBody);
        await client.DeleteAsync(new DeleteRequest { Model = "b" });
        Assert.Equal("{\"model\":\"b\"}", deleteBody);

        var statuses = new List<string>();
        await foreach (var progress in client.CreateAsync(new CreateRequest { Model = "c", From = "a" }))
        {
            statuses.Add(progress.Status);
        }

        Assert.Equal(["using existing layer sha256:1", "writing manifest", "success"], statuses);
    }

    [Fact]
    public async Task Blobs_head_and_push()
    {
        var stored = new Dictionary<string, byte[]>();
        await using var server = await FakeOllamaServer.StartAsync(app =>
        {
            app.MapMethods("/api/blobs/{digest}", ["HEAD"], (string digest) => stored.ContainsKey(digest) ? Results.Ok() : Results.NotFound());
            app.MapPost("/api/blobs/{digest}", async (string digest, HttpContext context) =>
            {
                using var buffer = new MemoryStream();
                await context.Request.Body.CopyToAsync(buffer);
                stored[digest] = buffer.ToArray();
                return Results.StatusCode(201);
            });
        });
        using var client = new OllamaClient(server.BaseAddress);
        const string digest = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

        Assert.False(await client.HeadBlobAsync(digest));
        await client.PushBlobAsync(digest, new MemoryStream("hello"u8.ToArray()));
        Assert.True(await client.HeadBlobAsync(digest));
        Assert.Equal("hello"u8.ToArray(), stored[digest]);
    }

    [Fact]
    public async Task Sends_bearer_token_from_environment()
    {
        string? authorization = null;
        await using var server = await FakeOllamaServer.StartAsync(app => app.MapGet("/api/version", (HttpContext context) =>
        {
            authorization = context.Request.Headers.Authorization;
            return Results.Text("{\"version\":\"1\"}", "application/json");
        }));

        Environment.SetEnvironmentVariable("CORRAL_API_KEY", "secret-token");
        OllamaClient client;
        try
        {
            client = new OllamaClient(server.BaseAddress);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CORRAL_API_KEY", null);
        }

        using (client)
        {
            await client.VersionAsync();
        }

        Assert.Equal("Bearer secret-token", authorization);
    }

    [Fact]
    public async Task Cancellation_stops_a_stream()
    {
        await using var server = await FakeOllamaServer.StartAsync(app => app.MapPost("/api/generate", async context =>
        {
            await WriteAsync(context, "{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"response\":\"x\",\"done\":false}\n");
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }));
        using var client = new OllamaClient(server.BaseAddress);
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GenerateStreamAsync(new GenerateRequest { Model = "m" }, cts.Token))
            {
                cts.Cancel();
            }
        });
    }
}
