using System.Net;
using System.Net.Sockets;
using System.Text;
using Corral.Testing;

namespace Corral.Server.Tests.Observability;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, a real server pushes its metrics over OTLP/HTTP
/// (protobuf) to a real listener; without it, nothing is sent, not even to the exporter's default endpoint.
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
        // With no endpoint the OTLP exporter would send to its default, http://localhost:4318 for
        // http/protobuf: the receiver listens there, so a server that exported anyway is caught. A
        // resource attribute marks this test's servers (anything else pushing to the port is ignored).
        using var receiver = await OtlpReceiver.AtTheDefaultEndpointAsync();
        var marker = $"corral-otlp-test-{Guid.NewGuid():N}";
        Dictionary<string, string> Environment(bool withEndpoint)
        {
            var environment = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
                ["OTEL_RESOURCE_ATTRIBUTES"] = $"corral.test.run={marker}",
            };
            if (withEndpoint)
            {
                environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
            }

            return environment;
        }

        await using (var server = await ServerProcess.StartAsync(Environment(withEndpoint: false)))
        {
            using var http = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/tags")).StatusCode);
            await Task.Delay(1500); // five export intervals; stopping the server would flush one more
        }

        Assert.DoesNotContain(receiver.Received, r => Contains(r.Body, marker));

        // Control: the same receiver gets the same server's metrics once the endpoint names it.
        await using (var server = await ServerProcess.StartAsync(Environment(withEndpoint: true)))
        {
            using var http = server.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/tags")).StatusCode);
            await receiver.WaitForAsync(body => Contains(body, marker) && Contains(body, "corral_http_requests_total"), TimeSpan.FromSeconds(30));
        }
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>An OTLP/HTTP collector stand-in: records every POST and answers 200 with an empty protobuf body.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, string? ContentType, byte[] Body)> _received = [];
        private readonly Task _loop;

        public OtlpReceiver()
            : this($"http://127.0.0.1:{ChildProcessReadiness.FreeLoopbackPort()}")
        {
        }

        private OtlpReceiver(string endpoint)
        {
            Endpoint = endpoint;
            _listener.Prefixes.Add(Endpoint + "/");
            try
            {
                _listener.Start();
            }
            catch
            {
                _listener.Close();
                throw;
            }

            _loop = Task.Run(LoopAsync);
        }

        /// <summary>
        /// A receiver on the OTLP/HTTP exporter's default endpoint. Another run of this test (a parallel
        /// checkout) may hold the port for a few seconds: wait for it rather than fail.
        /// </summary>
        public static async Task<OtlpReceiver> AtTheDefaultEndpointAsync()
        {
            const string defaultEndpoint = "http://localhost:4318";
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                try
                {
                    return new OtlpReceiver(defaultEndpoint);
                }
                catch (Exception ex) when (ex is HttpListenerException or SocketException && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(250);
                }
            }
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
