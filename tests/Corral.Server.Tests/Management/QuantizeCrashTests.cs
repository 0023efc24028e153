using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Testing;

namespace Corral.Server.Tests.Management;

/// <summary>
/// A quantizer that dies of a native abort mid-file (the <c>CORRAL_TEST_QUANTIZE_CRASH=abort</c> test hook, honoured
/// only by the <c>corral quantize</c> child): the create fails with 500 and the child's last words, the server lives
/// on, and neither the half-written output nor a blob remains.
/// </summary>
public sealed class QuantizeCrashTests(QuantizeCrashServerFixture fixture) : IClassFixture<QuantizeCrashServerFixture>
{
    [Fact]
    public async Task AbortInTheQuantizer_Is500_ServerSurvives_NothingLeftBehind()
    {
        var digest = await fixture.UploadAsync(GeneratedModels.Random);
        var before = QuantizeChildProcesses.BlobFiles(fixture.BlobsPath);
        var body = $$"""{"model":"quant-crash","files":{"model.gguf":"{{digest}}"},"quantize":"q8_0","stream":false}""";

        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", body);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.NotNull(error);
        Assert.StartsWith("quantization failed: the quantizer process crashed (SIGABRT): CORRAL_TEST_QUANTIZE_CRASH=abort: aborting at tensor 1/", error);

        // Streaming gets progress and then the same reason as its last line.
        using (var content = new StringContent(body.Replace("\"stream\":false", "\"stream\":true", StringComparison.Ordinal), Encoding.UTF8, "application/json"))
        using (var response = await fixture.Http.PostAsync("/api/create", content))
        {
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.Contains("quantizing F32 model to Q8_0", StringComparison.Ordinal));
            Assert.Equal(error, JsonDocument.Parse(lines[^1]).RootElement.GetProperty("error").GetString());
        }

        Assert.False(fixture.Server.HasExited);
        using var version = await fixture.Http.GetAsync("/api/version");
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(fixture.BlobsPath, ".quantize-*"));
        Assert.Equal(before.Order(), QuantizeChildProcesses.BlobFiles(fixture.BlobsPath).Order());
        Assert.DoesNotContain((await fixture.Client.ListAsync()).Models, m => m.Name == "quant-crash:latest");

        // Creating without quantization still works on the same server.
        var plain = await fixture.CreateFromFileAsync("plain-after-crash", GeneratedModels.Random);
        Assert.Equal("success", plain[^1].Status);
    }
}

/// <summary>A server whose quantizer children abort (test hook).</summary>
public sealed class QuantizeCrashServerFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string>? Environment { get; } =
        new Dictionary<string, string> { ["CORRAL_TEST_QUANTIZE_CRASH"] = "abort" };
}
