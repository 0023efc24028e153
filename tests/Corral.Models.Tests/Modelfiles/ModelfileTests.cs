using System.Text;
using System.Text.Json;
using Corral.Models.Modelfiles;

namespace Corral.Models.Tests.Modelfiles;

public sealed class ModelfileTests
{
    [Fact]
    public void ParsesAllInstructions()
    {
        const string text = """"
            # a comment
            FROM llama3.2:1b
            parameter temperature 0.7
            PARAMETER stop <|eot_id|>
            PARAMETER stop "<|start_header_id|>"
            PARAMETER num_ctx 4096
            TEMPLATE """{{ if .System }}<|system|>{{ .System }}{{ end }}
            {{ .Prompt }}"""
            SYSTEM You are "helpful".
            ADAPTER ./lora.gguf
            LICENSE MIT
            LICENSE """Apache
            2.0"""
            MESSAGE user Hi there
            MESSAGE assistant "Hello!"
            REQUIRES 0.14.0
            Renderer qwen3
            PARSER qwen3
            """";

        var file = Modelfile.Parse(text);

        Assert.Equal("llama3.2:1b", file.From);
        Assert.Equal("{{ if .System }}<|system|>{{ .System }}{{ end }}\n{{ .Prompt }}", file.Template);
        Assert.Equal("You are \"helpful\".", file.System);
        Assert.Equal(["./lora.gguf"], file.Adapters);
        Assert.Equal(["MIT", "Apache\n2.0"], file.Licenses);
        Assert.Equal("0.14.0", file.Requires);
        Assert.Equal("qwen3", file.Renderer);
        Assert.Equal("qwen3", file.Parser);
        Assert.Equal([("user", "Hi there"), ("assistant", "Hello!")], file.Messages.Select(m => (m.Name!, m.Value)));
        Assert.Equal(["temperature", "stop", "stop", "num_ctx"], file.Parameters.Select(p => p.Name!));
        Assert.Equal("<|start_header_id|>", file.Parameters[2].Value);
        Assert.Equal(2, file.Commands[0].Line);
        Assert.Equal(7, file.Commands.First(c => c.Kind == ModelfileCommandKind.Template).Line);
        Assert.Equal(10, file.Commands.First(c => c.Kind == ModelfileCommandKind.Adapter).Line);
    }

    [Theory]
    [InlineData("FROM x\nPARAMETER foo 1", 2, "unknown parameter 'foo'")]
    [InlineData("FROM x\nPARAMETER Temperature 1", 2, "unknown parameter 'Temperature'")]
    [InlineData("FROM x\n\nPARAMETER num_ctx lots", 3, "invalid int value [lots]")]
    [InlineData("FROM x\nPARAMETER num_ctx 1.5", 2, "invalid int value [1.5]")]
    [InlineData("FROM x\nPARAMETER temperature hot", 2, "invalid float value [hot]")]
    [InlineData("FROM x\nPARAMETER temperature NaN", 2, "invalid float value [NaN]")]
    [InlineData("FROM x\nPARAMETER use_mmap maybe", 2, "invalid bool value [maybe]")]
    [InlineData("FROM x\nMESSAGE tool hi", 2, "message role must be one of \"system\", \"user\", or \"assistant\"")]
    [InlineData("FROM x\nMESSAGE User hi", 2, "message role must be one of \"system\", \"user\", or \"assistant\"")]
    [InlineData("FROM x\nINSTRUCTION y", 2, "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\"")]
    [InlineData("FROM x\nFROM2 y", 2, "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", \"parser\", \"parameter\", \"message\", or \"requires\"")]
    [InlineData("FROM x\nSYSTEM", 2, "missing value for SYSTEM")]
    [InlineData("FROM x\nSYSTEM \"\"\"never closed\nstill open", 2, "unexpected EOF: unterminated quote")]
    [InlineData("FROM x\nTEMPLATE \"open", 2, "unexpected EOF: unterminated quote")]
    [InlineData("SYSTEM hi", 0, "no FROM line")]
    [InlineData("", 0, "no FROM line")]
    [InlineData("# only a comment", 0, "no FROM line")]
    public void ReportsErrorsWithLine(string text, int line, string reason)
    {
        var error = Assert.Throws<ModelfileParseException>(() => Modelfile.Parse(text));

        Assert.Equal(reason, error.Reason);
        Assert.Equal(line, error.Line);
        Assert.Equal(line > 0 ? $"(line {line}): {reason}" : reason, error.Message);
    }

    [Fact]
    public void ErrorNamesTheColumn()
    {
        var error = Assert.Throws<ModelfileParseException>(() => Modelfile.Parse("FROM x\n  PARAMETER num_ctx  abc"));
        Assert.Equal(2, error.Line);
        Assert.Equal(22, error.Column);
    }

    [Fact]
    public void HandlesBomCrLfTabsAndControlCharacters()
    {
        var file = Modelfile.Parse("\uFEFFfrom\tmodel\r\nSYSTEM a\tb\0c\u001b\r\nTEMPLATE \"\"\"x\r\ny\"\"\"\r\nPARAMETER seed -1\r\n");

        Assert.Equal("model", file.From);
        Assert.Equal("a\tbc", file.System);
        Assert.Equal("x\ny", file.Template);
        Assert.Equal("-1", file.Parameters[0].Value);
        Assert.Equal(5, file.Parameters[0].Line);
    }

    [Fact]
    public void AcceptsDeprecatedParametersButLeavesThemOutOfParams()
    {
        var file = Modelfile.Parse("FROM x\nPARAMETER mirostat 2\nPARAMETER temperature 0.5\nPARAMETER stop a\nPARAMETER stop b\nPARAMETER use_mmap True\nPARAMETER num_ctx 2048\nPARAMETER num_ctx 8192");

        using var json = JsonDocument.Parse(file.ParamsJson());
        var root = json.RootElement;

        Assert.Equal(["num_ctx", "stop", "temperature", "use_mmap"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(8192, root.GetProperty("num_ctx").GetInt64());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble());
        Assert.True(root.GetProperty("use_mmap").GetBoolean());
        Assert.Equal(["a", "b"], root.GetProperty("stop").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void AcceptsLlamaServerSamplerParameters()
    {
        var file = Modelfile.Parse(
            "FROM x\nPARAMETER dry_multiplier 0.8\nPARAMETER dry_base 2\nPARAMETER dry_allowed_length 3\nPARAMETER dry_penalty_last_n -1\n"
            + "PARAMETER dry_sequence_breakers \"\n\"\nPARAMETER dry_sequence_breakers ###\n"
            + "PARAMETER xtc_probability 0.5\nPARAMETER xtc_threshold 0.1\nPARAMETER top_n_sigma 1.5");

        using var json = JsonDocument.Parse(file.ParamsJson());
        var root = json.RootElement;
        Assert.Equal(0.8, root.GetProperty("dry_multiplier").GetDouble());
        Assert.Equal(2, root.GetProperty("dry_base").GetDouble());
        Assert.Equal(3, root.GetProperty("dry_allowed_length").GetInt64());
        Assert.Equal(-1, root.GetProperty("dry_penalty_last_n").GetInt64());
        Assert.Equal(["\n", "###"], root.GetProperty("dry_sequence_breakers").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(0.5, root.GetProperty("xtc_probability").GetDouble());
        Assert.Equal(0.1, root.GetProperty("xtc_threshold").GetDouble());
        Assert.Equal(1.5, root.GetProperty("top_n_sigma").GetDouble());

        Assert.Equal("invalid int value [2.5]", ModelfileParameters.Validate("dry_allowed_length", "2.5"));
        Assert.Equal("invalid float value [lots]", ModelfileParameters.Validate("dry_multiplier", "lots"));
    }

    [Fact]
    public void ParamsJsonRoundTripsToParameterCommands()
    {
        var commands = ModelfileParameters.FromParamsJson(Encoding.UTF8.GetBytes("{\"stop\":[\"<|a|>\",\"<|b|>\"],\"temperature\":0.7,\"num_ctx\":4096,\"use_mmap\":false}"));

        Assert.Equal(
            [("stop", "<|a|>"), ("stop", "<|b|>"), ("temperature", "0.7"), ("num_ctx", "4096"), ("use_mmap", "false")],
            commands.Select(c => (c.Name!, c.Value)));
        Assert.All(commands, c => Assert.Null(ModelfileParameters.Validate(c.Name!, c.Value)));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("two words")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("multi\nline")]
    [InlineData("multi\nline with \"quotes\"")]
    [InlineData("\"starts with quote")]
    [InlineData("\"fully quoted\"")]
    [InlineData("")]
    [InlineData("{{ .System }}\n\n{{ .Prompt }}\n")]
    [InlineData("# not a comment")]
    [InlineData("tab\tinside")]
    public void FormatterRoundTrips(string value)
    {
        var original = new Modelfile([
            new ModelfileCommand(ModelfileCommandKind.From, "/models/blobs/sha256-abc"),
            new ModelfileCommand(ModelfileCommandKind.Template, value),
            new ModelfileCommand(ModelfileCommandKind.System, value),
            new ModelfileCommand(ModelfileCommandKind.Parameter, value, "stop"),
            new ModelfileCommand(ModelfileCommandKind.Message, value, "user"),
            new ModelfileCommand(ModelfileCommandKind.License, value),
        ]);

        var reparsed = Modelfile.Parse(original.ToString());

        Assert.Equal(
            original.Commands.Select(c => (c.Kind, c.Name, c.Value)),
            reparsed.Commands.Select(c => (c.Kind, c.Name, c.Value)));
    }

    [Fact]
    public void ShowTextHasOllamaHeaderAndParses()
    {
        var file = Modelfile.Parse("FROM /blobs/sha256-1\nTEMPLATE \"\"\"{{ .Prompt }}\nok\"\"\"\nPARAMETER stop <eos>");

        var text = file.ToShowText("llama3.2:latest");

        Assert.StartsWith("# Modelfile generated by \"ollama show\"\n# To build a new Modelfile based on this, replace FROM with:\n# FROM llama3.2:latest\n\nFROM /blobs/sha256-1\n", text);
        Assert.Contains("TEMPLATE \"{{ .Prompt }}\nok\"\n", text);
        Assert.Contains("PARAMETER stop <eos>\n", text);
        Assert.Equal(3, Modelfile.Parse(text).Commands.Count);
    }

    [Fact]
    public void ValuesKeepHashesAndInnerQuotes()
    {
        var file = Modelfile.Parse("FROM x # not a comment\nSYSTEM say \"hi\" # also kept");

        Assert.Equal("x # not a comment", file.From);
        Assert.Equal("say \"hi\" # also kept", file.System);
    }

    [Fact]
    public void HostileInputDoesNotCrashOrHang()
    {
        var big = "FROM x\nSYSTEM \"\"\"" + new string('a', 1_000_000) + "\"\"\"";
        Assert.Equal(1_000_000, Modelfile.Parse(big).System!.Length);

        var manyLines = "FROM x\nLICENSE \"\"\"" + string.Concat(Enumerable.Repeat("a line of license text that goes on\n", 200_000)) + "\"\"\"";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(200_000, Modelfile.Parse(manyLines).Licenses[0].Count(c => c == '\n'));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = "FROMPARAETSYS \"\n#\t\0xé_"[random.Next(22)];
            }

            try
            {
                Modelfile.Parse(new string(chars));
            }
            catch (ModelfileParseException)
            {
            }
        }
    }
}
