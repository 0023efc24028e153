using System.Globalization;
using Corral.Api.Native;

namespace Corral.Server.Models;

/// <summary>The <c>details</c> object of tags, show and ps, from a model's config and GGUF header.</summary>
public static class ModelDetailsBuilder
{
    public static ModelDetails Build(ResolvedModel model)
    {
        var config = model.Config;
        var family = config.ModelFamily.Length > 0 ? config.ModelFamily : model.Architecture;
        return new ModelDetails
        {
            ParentModel = string.Empty,
            Format = config.ModelFormat.Length > 0 ? config.ModelFormat : "gguf",
            Family = family,
            Families = config.ModelFamilies is { Count: > 0 } families ? families : [family],
            ParameterSize = config.ModelType.Length > 0 ? config.ModelType : FormatParameterCount(model.Gguf.ParameterCount),
            QuantizationLevel = config.FileType,
        };
    }

    /// <summary>Ollama's human form of a parameter count: 1.2B, 135.43M, 8.0B.</summary>
    public static string FormatParameterCount(long count) => count switch
    {
        >= 1_000_000_000 => (count / 1e9).ToString(count >= 10_000_000_000 ? "0" : "0.0", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (count / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };
}
