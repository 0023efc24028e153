using System.Net;
using System.Text;
using Corral.Testing;

namespace Corral.Server.Tests.Observability;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a real server pushes its metrics over OTLP/HTTP
/// (protobuf) to a real listener; without it, nothing is sent.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Metrics_are_pushed_over_otlp_http_when_an_endpoint_is_set()
    {
        using var receiver = new OtlpReceiver();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_SERVICE_NAME"] = "corral-under-test",
        });
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/tags")).StatusCode);

        // The request counter appears in the first export after the request.
        // The readiness probe's request may be exported first; wait for the one naming our route.
        var export = await receiver.WaitForAsync(body => Contains(body, "corral_http_requests_total") && Contains(body, "/api/tags"), TimeSpan.FromSeconds(30));
        Assert.Equal("/v1/metrics", export.Path);
        Assert.Equal("application/x-protobuf", export.ContentType);
        Assert.True(Contains(export.Body, "corral-under-test"), "OTEL_SERVICE_NAME names the resource");
        Assert.True(Contains(export.Body, "corral_queue_depth"), "the scheduler's gauges are exported too");
    }

    [Fact]
    public async Task Nothing_is_pushed_without_an_endpoint()
    {
        using var receiver = new OtlpReceiver();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
        });
        using var http = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/tags")).StatusCode);
        await Task.Delay(1500);
        Assert.Empty(receiver.Received);
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>An OTLP/HTTP collector stand-in: records every POST and answers 200 with an empty protobuf body.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string? ContentType, byte[] Body)> _received = [];
        private readonly Task _loop;

        public OtlpReceiver()
        {
            var port = ChildProcessReadiness.FreeLoopbackPort();
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Endpoint { get; }

        public IReadOnlyList<(string Path, string? ContentType, byte[] Body)> Received
        {
            get
            {
                lock (_received)
                {
                    return [.. _received];
                }
            }
        }

        public async Task<(string Path, string? ContentType, byte[] Body)> WaitForAsync(Func<byte[], bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var hit = Received.FirstOrDefault(r => match(r.Body));
                if (hit.Body is not null)
                {
                    return hit;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"no matching OTLP export in {timeout}; received {Received.Count} posts");
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received)
                {
                    _received.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
