using Corral.Api.Ollama;
using Corral.Cli.Output;
using Corral.Cli.Verbs;

namespace Corral.Cli.Tests.Output;

public sealed class TableTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void List_pads_columns_and_separates_them_with_tabs()
    {
        var models = new[]
        {
            new ListModelResponse { Name = "llama3.2:latest", Digest = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72", Size = 2_019_393_189, ModifiedAt = Now.AddMinutes(-2) },
            new ListModelResponse { Name = "tiny:1b", Digest = "0123456789abcdef0123", Size = 1_300_000_000, ModifiedAt = Now.AddDays(-3) },
        };

        var text = ListVerb.Format(models, Now);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("NAME           \tID          \tSIZE  \tMODIFIED", lines[0]);
        Assert.Equal("llama3.2:latest\ta80c4f17acd5\t2.0 GB\t2 minutes ago", lines[1]);
        Assert.Equal("tiny:1b        \t0123456789ab\t1.3 GB\t3 days ago", lines[2]);
    }

    [Fact]
    public void List_filters_by_prefix()
    {
        var models = new[] { new ListModelResponse { Name = "a:latest", Digest = "aa" }, new ListModelResponse { Name = "b:latest", Digest = "bb" } };
        var text = ListVerb.Format(models, Now, "b");
        Assert.DoesNotContain("a:latest", text);
        Assert.Contains("b:latest", text);
    }

    [Fact]
    public void Ps_shows_processor_context_and_until()
    {
        var models = new[]
        {
            new ProcessModelResponse { Name = "m:latest", Digest = "ffeeddccbbaa99887766", Size = 1_900_000_000, SizeVram = 0, ContextLength = 4096, ExpiresAt = Now.AddMinutes(4).AddSeconds(20) },
            new ProcessModelResponse { Name = "f:latest", Digest = "00112233445566778899", Size = 100, ContextLength = 2048, ExpiresAt = Now.AddYears(290) },
        };

        var lines = PsVerb.Format(models, Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"], lines[0].Split('\t').Select(c => c.Trim()));
        Assert.Equal(["m:latest", "ffeeddccbbaa", "1.9 GB", "100% CPU", "4096", "4 minutes from now"], lines[1].Split('\t').Select(c => c.Trim()));
        Assert.EndsWith("Forever", lines[2]);
    }

    [Theory]
    [InlineData(100, 0, "100% CPU")]
    [InlineData(100, 100, "100% GPU")]
    [InlineData(100, 52, "48%/52% CPU/GPU")]
    [InlineData(100, 200, "Unknown")]
    public void Processor_split(long size, long vram, string expected) => Assert.Equal(expected, PsVerb.Processor(size, vram));

    [Fact]
    public void Show_info_has_ollamas_sections()
    {
        var show = new ShowResponse
        {
            Details = new ModelDetails { ParameterSize = "1.2B", QuantizationLevel = "Q4_K_M", Family = "llama" },
            ModelInfo = new System.Text.Json.Nodes.JsonObject
            {
                ["general.architecture"] = "llama",
                ["llama.context_length"] = 131072,
                ["llama.embedding_length"] = 2048,
            },
            Capabilities = ["completion", "tools"],
            Parameters = "stop                           \"<|eot_id|>\"\ntemperature                    0",
            License = "LICENSE LINE ONE\n\nline two\nline three",
        };

        var text = ModelInfoPrinter.Format(show, verbose: false);

        Assert.StartsWith("  Model\n    architecture        llama\n    parameters          1.2B\n    context length      131072\n    embedding length    2048\n    quantization        Q4_K_M\n\n", text);
        Assert.Contains("  Capabilities\n    completion\n    tools\n\n", text);
        Assert.Contains("  Parameters\n    stop           \"<|eot_id|>\"\n    temperature    0\n\n", text);
        Assert.Contains("  License\n    LICENSE LINE ONE\n    line two\n    ...\n\n", text);
    }

    [Fact]
    public void Show_info_lists_lora_adapters_by_the_id_a_request_names_them_with()
    {
        var show = new ShowResponse
        {
            Details = new ModelDetails { ParameterSize = "1M", QuantizationLevel = "F32", Family = "llama" },
            Adapters =
            [
                new AdapterInfo { Id = 0, Digest = "sha256:0123456789abcdef0123", Alpha = 16, Rank = 8, Weights = 4 },
                new AdapterInfo { Id = 1, Digest = "sha256:fedcba9876543210fedc", Rank = 4, Weights = 1 },
            ],
        };

        var text = ModelInfoPrinter.Format(show, verbose: false);

        Assert.Contains("  Adapters\n    lora 0    0123456789ab    alpha 16    rank 8\n    lora 1    fedcba987654    no alpha    rank 4\n\n", text);
        Assert.DoesNotContain("Adapters", ModelInfoPrinter.Format(new ShowResponse { Details = show.Details }, verbose: false));
    }
}
