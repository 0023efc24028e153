using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Models.Gguf;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.Management;

/// <summary>
/// Quantization runs in a <c>corral quantize</c> child process: it works end to end, a failure inside it is a 500
/// with its reason, and a client that goes away kills it; the server stays up and no temp file or blob remains.
/// </summary>
public sealed class QuantizeProcessTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task QuantizedModel_Runs_AndProgressCountsUp()
    {
        var progress = await fixture.CreateFromFileAsync("quant-run", GeneratedModels.Random, r => r.Quantize = "q4_K_M");

        var quantizing = progress.Where(p => p.Status == "quantizing F32 model to Q4_K_M").ToList();
        Assert.True(quantizing.Count >= 3, $"expected start, per-tensor and final progress, got {quantizing.Count}");
        Assert.All(quantizing, p => Assert.Equal("0000000000000000000", p.Digest));
        var total = quantizing[0].Total;
        Assert.Equal(new FileInfo(GeneratedModels.Random).Length, total);
        var completed = quantizing.Select(p => p.Completed).ToList();
        Assert.Equal(completed.Order(), completed);
        Assert.Equal(total, completed[^1]);
        Assert.Contains(completed, c => c > 0 && c < total);
        Assert.Equal("success", progress[^1].Status);

        var show = await fixture.Client.ShowAsync(new ShowRequest { Model = "quant-run" });
        Assert.Equal("Q4_K_M", show.Details.QuantizationLevel);
        var answer = await fixture.Client.GenerateAsync(new GenerateRequest
        {
            Model = "quant-run",
            Prompt = "hello",
            Options = new ModelOptions { NumPredict = 4, Temperature = 0 },
            KeepAlive = KeepAlive.UnloadNow,
        });
        Assert.True(answer.Done);
        Assert.True(answer.EvalCount > 0);
        Assert.Empty(Directory.EnumerateFiles(fixture.BlobsPath, ".quantize-*"));
    }

    [Fact]
    public async Task FailureInsideTheQuantizer_Is500WithItsReason_AndLeavesNothingBehind()
    {
        // Valid GGUF whose tensor data holds NaNs: the server's own reader accepts it (it does not read tensor
        // data); llama.cpp's quantizer refuses it after it has started writing the output.
        var poisoned = Path.Combine(Path.GetTempPath(), $"corral-nan-{Guid.NewGuid():N}.gguf");
        try
        {
            File.Copy(GeneratedModels.Random, poisoned);
            var gguf = GgufReader.Read(poisoned, GgufReadOptions.MetadataOnly);
            var tensor = gguf.TensorsByName["blk.1.ffn_down.weight"];
            Assert.Equal(GgmlType.F32, tensor.Type);
            await using (var file = File.OpenWrite(poisoned))
            {
                file.Position = gguf.DataOffset + (long)tensor.Offset;
                file.Write(BitConverter.GetBytes(float.NaN));
            }

            var digest = await fixture.UploadAsync(poisoned);
            var before = QuantizeChildProcesses.BlobFiles(fixture.BlobsPath);

            var body = $$"""{"model":"quant-nan","files":{"model.gguf":"{{digest}}"},"quantize":"q8_0","stream":false}""";
            var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", body);
            Assert.Equal(HttpStatusCode.InternalServerError, status);
            Assert.NotNull(error);
            Assert.StartsWith("quantization failed: ", error);
            Assert.Contains("tensor 'blk.1.ffn_down.weight' has invalid data", error);

            // Streaming: progress first, then the same reason as the last line.
            var lines = await StreamCreateAsync(body.Replace("\"stream\":false", "\"stream\":true", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("quantizing F32 model to Q8_0", StringComparison.Ordinal));
            Assert.Equal(error, JsonDocument.Parse(lines[^1]).RootElement.GetProperty("error").GetString());

            await AssertServerHealthyAndCleanAsync(before, "quant-nan");
        }
        finally
        {
            File.Delete(poisoned);
        }
    }

    [Fact]
    public async Task ClientThatDisconnects_KillsTheQuantizer_AndLeavesNothingBehind()
    {
        // About 240 MB of F16: long enough (~50 s here on 2 busy cores) that the quantizer is mid-work when the client leaves.
        var large = Path.Combine(Path.GetTempPath(), $"corral-large-{Guid.NewGuid():N}.gguf");
        try
        {
            TestModelWriter.WriteRandomF16(large, TestModelWriter.RandomShape with
            {
                EmbeddingLength = 1024,
                BlockCount = 8,
                HeadCount = 16,
                HeadCountKv = 4,
                FeedForwardLength = 4096,
            });
            var digest = await fixture.UploadAsync(large);
            var before = QuantizeChildProcesses.BlobFiles(fixture.BlobsPath);

            using (var http = fixture.Server.CreateClient())
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/create")
                {
                    Content = new StringContent(
                        $$"""{"model":"quant-gone","files":{"model.gguf":"{{digest}}"},"quantize":"q4_K_M"}""", Encoding.UTF8, "application/json"),
                };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                // Wait until the child reports work done but not finished.
                while (await reader.ReadLineAsync() is { } line)
                {
                    Assert.DoesNotContain("\"error\"", line, StringComparison.Ordinal);
                    var p = JsonSerializer.Deserialize(line, OllamaJsonContext.Default.ProgressResponse)!;
                    if (p.Status.StartsWith("quantizing", StringComparison.Ordinal) && p.Completed > 0)
                    {
                        Assert.True(p.Completed < p.Total, "the quantization finished before the client could leave");
                        break;
                    }
                }

                Assert.NotEmpty(QuantizeChildProcesses.Find(fixture.BlobsPath));
                Assert.NotEmpty(Directory.EnumerateFiles(fixture.BlobsPath, ".quantize-*.tmp"));
            }

            // The connection is closed: within moments the server must kill the child and delete its output.
            Assert.True(await QuantizeChildProcesses.WaitUntilNoneAsync(fixture.BlobsPath, TimeSpan.FromSeconds(5)), "the quantizer or its temp file is still there after the client left");
            await AssertServerHealthyAndCleanAsync(before, "quant-gone");
        }
        finally
        {
            File.Delete(large);
        }
    }

    private async Task<List<string>> StreamCreateAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await fixture.Http.PostAsync("/api/create", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    private async Task AssertServerHealthyAndCleanAsync(HashSet<string> blobsBefore, string model)
    {
        Assert.False(fixture.Server.HasExited);
        using var version = await fixture.Http.GetAsync("/api/version");
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(fixture.BlobsPath, ".quantize-*"));
        Assert.Equal(blobsBefore.Order(), QuantizeChildProcesses.BlobFiles(fixture.BlobsPath).Order());
        Assert.DoesNotContain((await fixture.Client.ListAsync()).Models, m => m.Name == model + ":latest");
        Assert.Empty(QuantizeChildProcesses.Find(fixture.BlobsPath));
    }
}
