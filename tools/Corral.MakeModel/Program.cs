using System.Diagnostics;
using System.Text.Json;
using Corral.Llama;
using Corral.TestModels;

// Writes the generated GGUF test models on demand:
//   corral-make-model random|successor|tool-caller|thinker|embedding|reranker|bench-f16 OUT.gguf
//   corral-make-model vision-projector OUT.gguf   (mmproj for the `random` model)
//     (tool-caller and thinker also write OUT.gguf.gotmpl, the Go template they answer with a tool call / a reasoning turn;
//      thinker also writes OUT.gguf.json: its thought and answer)
//   corral-make-model bench-q4 OUT.gguf     (1B-shaped F16, then llama_model_quantize to Q4_K_M)
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: corral-make-model random|successor|tool-caller|thinker|embedding|reranker|vision-projector|bench-f16|bench-q4 OUT.gguf");
    return 2;
}

var (kind, output) = (args[0], Path.GetFullPath(args[1]));
var clock = Stopwatch.StartNew();
switch (kind)
{
    case "random":
        TestModelWriter.WriteRandom(output);
        break;
    case "successor":
        TestModelWriter.WriteSuccessor(output);
        break;
    case "tool-caller":
        // Its Go template goes next to it (OUT.gotmpl): create the model with it as TEMPLATE.
        TestModelWriter.WriteToolCaller(output);
        File.WriteAllText(output + ".gotmpl", ToolCallerModel.Template);
        break;
    case "thinker":
        // Its Go template (with .Think / .IsThinkSet, so the model can think) goes next to it too.
        // OUT.json holds what it answers (ThinkerModel's thought and answer, whole and as streamed), so scripts keep in step.
        TestModelWriter.WriteThinker(output);
        File.WriteAllText(output + ".gotmpl", ThinkerModel.Template);
        WriteThinkerExpectations(output + ".json");
        break;
    case "embedding":
        TestModelWriter.WriteEmbedding(output);
        break;
    case "reranker":
        TestModelWriter.WriteReranker(output);
        break;
    case "vision-projector":
        TestModelWriter.WriteVisionProjector(output);
        break;
    case "bench-f16":
        TestModelWriter.WriteBenchLlama1B(output);
        break;
    case "bench-q4":
        var f16 = output + ".f16.tmp";
        TestModelWriter.WriteBenchLlama1B(f16);
        Console.Error.WriteLine($"wrote F16 in {clock.Elapsed.TotalSeconds:0.0}s, quantizing to Q4_K_M ...");
        LlamaBackend.EnsureInitialized();
        LlamaQuantizer.Quantize(f16, output, LlamaFileType.Q4_K_M, Environment.ProcessorCount);
        File.Delete(f16);
        break;
    default:
        Console.Error.WriteLine($"unknown model kind '{kind}'");
        return 2;
}

Console.Error.WriteLine($"{kind}: {output} ({new FileInfo(output).Length / 1024.0 / 1024.0:0.0} MiB, {clock.Elapsed.TotalSeconds:0.0}s)");
return 0;

static void WriteThinkerExpectations(string path)
{
    using var file = File.Create(path);
    using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
    json.WriteStartObject();
    json.WriteString("thought", ThinkerModel.Thought);
    json.WriteString("answer", ThinkerModel.Answer);
    WriteArray(json, "thoughtPieces", ThinkerModel.ThoughtPieces);
    WriteArray(json, "answerPieces", ThinkerModel.AnswerPieces);
    json.WriteNumber("thinkingTokens", ThinkerModel.ThinkingTokenCount);
    json.WriteEndObject();
}

static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> items)
{
    json.WriteStartArray(name);
    foreach (var item in items)
    {
        json.WriteStringValue(item);
    }

    json.WriteEndArray();
}
