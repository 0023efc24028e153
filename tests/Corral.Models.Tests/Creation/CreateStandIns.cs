using System.Text.Json;
using Corral.Models.Creation;

namespace Corral.Models.Tests.Creation;

/// <summary>
/// The server's template/option checks and llama.cpp's quantizer live above Corral.Models; these stand in for them,
/// refusing or doing exactly what a test says, so the creator's side of each seam can be checked without a server.
/// </summary>
internal sealed class CreateStandIns : ICreateChecks, IGgufQuantizer
{
    public string? TemplateProblem { get; init; }

    public string? ParametersProblem { get; init; }

    /// <summary>Writes the "quantized" file (or throws); null: any call fails the test.</summary>
    public Func<string, string, QuantizeTarget, Task>? Quantize { get; init; }

    public List<QuantizeTarget> QuantizeCalls { get; } = [];

    public string? TemplateError(string text) => TemplateProblem;

    public string? ParametersError(IReadOnlyDictionary<string, JsonElement> parameters) => ParametersProblem;

    public async Task QuantizeAsync(string inputPath, string outputPath, QuantizeTarget target, Func<double, Task> progress, CancellationToken cancellation)
    {
        QuantizeCalls.Add(target);
        Assert.NotNull(Quantize);
        await progress(0.5).ConfigureAwait(false);
        await Quantize(inputPath, outputPath, target).ConfigureAwait(false);
        await progress(1).ConfigureAwait(false);
    }
}
