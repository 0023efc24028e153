using System.Security.Cryptography;
using System.Text.Json;
using Corral.Cli.Create;
using Corral.Models.Modelfiles;

namespace Corral.Cli.Tests.Create;

public sealed class CreateRequestBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("corral-cli-create-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Relative_gguf_path_becomes_a_digest_to_upload()
    {
        var weights = Path.Combine(_dir, "weights");
        Directory.CreateDirectory(weights);
        var bytes = "GGUF-not-really"u8.ToArray();
        File.WriteAllBytes(Path.Combine(weights, "model.gguf"), bytes);
        var modelfile = Modelfile.Parse("""
            FROM ./weights/model.gguf
            PARAMETER temperature 0
            PARAMETER stop <end>
            PARAMETER stop "###"
            PARAMETER num_ctx 2048
            SYSTEM You are terse.
            TEMPLATE "{{ .Prompt }}"
            MESSAGE user hi
            MESSAGE assistant hello
            LICENSE MIT
            """);

        var plan = await CreateRequestBuilder.BuildAsync(modelfile, _dir, CancellationToken.None);

        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        var request = plan.Request;
        Assert.Null(request.From);
        Assert.Equal(digest, Assert.Single(request.Files!, kv => kv.Key == "model.gguf").Value);
        var upload = Assert.Single(plan.Uploads);
        Assert.Equal((Path.Combine(weights, "model.gguf"), digest, bytes.Length), (upload.Path, upload.Digest, upload.Size));
        Assert.Equal(JsonValueKind.Number, request.Parameters!["temperature"].ValueKind);
        Assert.Equal(2048, request.Parameters["num_ctx"].GetInt32());
        Assert.Equal(["<end>", "###"], request.Parameters["stop"].EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("You are terse.", request.System);
        Assert.Equal("{{ .Prompt }}", request.Template);
        Assert.Equal([("user", "hi"), ("assistant", "hello")], request.Messages!.Select(m => (m.Role, m.Content)));
        Assert.Equal("MIT", request.License!.ToString());
        Assert.False(request.License.IsArray);
    }

    [Fact]
    public async Task Draft_path_becomes_draft_files_to_upload_with_its_parameter()
    {
        File.WriteAllBytes(Path.Combine(_dir, "small.gguf"), "GGUF-small"u8.ToArray());
        var modelfile = Modelfile.Parse("FROM llama3.2\nDRAFT ./small.gguf\nPARAMETER draft_num_predict 2");

        var plan = await CreateRequestBuilder.BuildAsync(modelfile, _dir, CancellationToken.None);

        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData("GGUF-small"u8.ToArray()));
        Assert.Equal("llama3.2", plan.Request.From);
        Assert.Equal(digest, Assert.Single(plan.Request.DraftFiles!, kv => kv.Key == "small.gguf").Value);
        Assert.Equal(Path.Combine(_dir, "small.gguf"), Assert.Single(plan.Uploads).Path);
        Assert.Equal(2, plan.Request.Parameters!["draft_num_predict"].GetInt32());
    }

    [Fact]
    public async Task A_missing_draft_file_is_an_error()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            CreateRequestBuilder.BuildAsync(Modelfile.Parse("FROM llama3.2\nDRAFT ./absent.gguf"), _dir, CancellationToken.None));
        Assert.Contains("absent.gguf", error.Message);
    }

    [Fact]
    public async Task A_name_that_is_no_file_is_a_base_model()
    {
        var plan = await CreateRequestBuilder.BuildAsync(Modelfile.Parse("FROM llama3.2\nLICENSE a\nLICENSE b\nPARAMETER mirostat 1"), _dir, CancellationToken.None);
        Assert.Equal("llama3.2", plan.Request.From);
        Assert.Null(plan.Request.Files);
        Assert.Empty(plan.Uploads);
        Assert.Null(plan.Request.Parameters);
        Assert.True(plan.Request.License!.IsArray);
        Assert.Equal("warning: parameter mirostat is deprecated", Assert.Single(plan.Warnings));
    }

    [Fact]
    public async Task A_folder_contributes_its_gguf_files()
    {
        File.WriteAllBytes(Path.Combine(_dir, "a.gguf"), [1]);
        File.WriteAllBytes(Path.Combine(_dir, "notes.txt"), [2]);
        var plan = await CreateRequestBuilder.BuildAsync(Modelfile.Parse("FROM ."), _dir, CancellationToken.None);
        Assert.Equal("a.gguf", Assert.Single(plan.Request.Files!).Key);
    }

    [Fact]
    public async Task A_folder_without_weights_is_an_error()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => CreateRequestBuilder.BuildAsync(Modelfile.Parse("FROM ./empty"), _dir, CancellationToken.None));
        Assert.Contains("no safetensors or gguf files found", error.Message);
    }

    [Fact]
    public async Task Missing_adapter_is_an_error() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => CreateRequestBuilder.BuildAsync(Modelfile.Parse("FROM x\nADAPTER ./lora.gguf"), _dir, CancellationToken.None));
}
