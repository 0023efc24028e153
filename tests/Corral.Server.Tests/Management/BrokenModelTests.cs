using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Corral.Models.Gguf;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.Management;

/// <summary>
/// GGUFs that crash or fail llama.cpp: /api/create refuses what can be checked statically (400, nothing stored),
/// and what aborts inside llama.cpp anyway reaches the client as llama.cpp's own assertion text, not as the last
/// words of ggml's gdb backtrace ("[Inferior 1 (process N) detached]").
/// </summary>
public sealed class BrokenModelTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("corral-broken-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> Defects() => new()
    {
        { "q8_1", "tensor 'blk.0.attn_q.weight' has type Q8_1 (9), which llama.cpp cannot compute with" },
        { "i16", "tensor 'blk.0.attn_q.weight' has type I16 (25), which llama.cpp cannot compute with" },
        { "i32", "tensor 'blk.0.attn_q.weight' has type I32 (26), which llama.cpp cannot compute with" },
        { "eps", "llama.attention.layer_norm_rms_epsilon is -Infinity" },
        { "duplicate-token", "tokens 65 and 66 are both 'B' (llama.cpp aborts on a duplicate token)" },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public async Task CreateFromAGgufLlamaCppCannotRun_Is400_AndStoresNothing(string defect, string problem)
    {
        var path = Write(defect);
        var digest = await fixture.UploadAsync(path);
        var tagsBefore = await TagsAsync();
        var name = "broken-" + defect;
        var expected = $"invalid GGUF file 'model.gguf': llama.cpp cannot run this model: {problem}";

        foreach (var stream in new[] { false, true })
        {
            var body = $$"""{"model":"{{name}}","files":{"model.gguf":"{{digest}}"},"stream":{{(stream ? "true" : "false")}}}""";
            var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/create", body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal(expected, error);
        }

        Assert.False(Directory.Exists(Path.Combine(fixture.Server.ModelsPath, "manifests", "registry.ollama.ai", "library", name)));
        Assert.Equal(tagsBefore, await TagsAsync());
    }

    /// <summary>
    /// llama.nextn_predict_layers above block_count passes the static check but trips llama.cpp's
    /// GGML_ASSERT(hparams.n_layer_nextn &lt;= hparams.n_layer_all) while the runner loads the model.
    /// </summary>
    [Fact]
    public async Task ALoadThatAbortsInsideLlamaCpp_ReportsLlamaCppsAssertion()
    {
        var path = Path.Combine(_dir, "nextn.gguf");
        BrokenModelWriter.WithMetadata(GeneratedModels.Random, path, "llama.nextn_predict_layers", GgufValue.FromUInt32(5));
        var created = await fixture.CreateFromFileAsync("aborts-on-load", path);
        Assert.Equal("success", created[^1].Status);

        var error = await GenerateErrorAsync("aborts-on-load");

        Assert.StartsWith("model failed to load: the model runner crashed (SIGABRT): ", error);
        Assert.EndsWith("GGML_ASSERT(hparams.n_layer_nextn <= hparams.n_layer_all) failed", error);
        Assert.DoesNotContain("[Inferior", error);

        // The runner's own stderr reached the server's log too (a raw line, so a warning), marked with its process id.
        var forwarded = new Regex(@"warn: Corral\.Runner\.Client\.RunnerProcess\[\d+\] runner \d+: .*GGML_ASSERT\(hparams\.n_layer_nextn <= hparams\.n_layer_all\) failed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!forwarded.IsMatch(fixture.Server.Log) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Matches(forwarded, fixture.Server.Log);
    }

    /// <summary>
    /// A model that did not come through create (pulled, or written by Ollama) with an rms epsilon of -inf: the runner
    /// loads it, then aborts in ggml's rms_norm at the first decode, on the retry too. The client hears why.
    /// </summary>
    [Fact]
    public async Task ARequestThatAbortsInsideLlamaCpp_ReportsLlamaCppsAssertion()
    {
        var path = Write("eps");
        await StoreSeeder.SeedAsync(fixture.Server.ModelsPath, "aborts-on-decode", path);

        var error = await GenerateErrorAsync("aborts-on-decode");

        Assert.StartsWith("the model runner crashed (SIGABRT): ", error);
        Assert.EndsWith("GGML_ASSERT(eps >= 0.0f) failed", error);
        Assert.DoesNotContain("[Inferior", error);
        Assert.False(fixture.Server.HasExited);
    }

    private async Task<string> GenerateErrorAsync(string model)
    {
        var body = $$"""{"model":"{{model}}","prompt":"hello","stream":false,"options":{"num_predict":1} }""";
        var (status, error) = await RawApi.SendAsync(fixture.Http, HttpMethod.Post, "/api/generate", body);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.NotNull(error);
        return error;
    }

    private string Write(string defect)
    {
        var path = Path.Combine(_dir, defect + ".gguf");
        var random = GeneratedModels.Random;
        switch (defect)
        {
            case "q8_1":
                BrokenModelWriter.WithTensorType(random, path, "blk.0.attn_q.weight", GgmlType.Q8_1);
                break;
            case "i16":
                BrokenModelWriter.WithTensorType(random, path, "blk.0.attn_q.weight", GgmlType.I16);
                break;
            case "i32":
                BrokenModelWriter.WithTensorType(random, path, "blk.0.attn_q.weight", GgmlType.I32);
                break;
            case "eps":
                BrokenModelWriter.WithMetadata(random, path, "llama.attention.layer_norm_rms_epsilon", GgufValue.FromFloat32(float.NegativeInfinity));
                break;
            default:
                BrokenModelWriter.WithFlippedTokenByte(random, path, tokenId: 65, byteIndex: 0, mask: 0x03);
                break;
        }

        return path;
    }

    private async Task<string> TagsAsync()
    {
        using var response = await fixture.Http.GetAsync("/api/tags");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = doc.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).Order();
        return string.Join(",", names);
    }
}
