using Corral.Api.Ollama;
using Corral.Models.Gguf;

namespace Corral.Server.Resolution;

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
            ParameterSize = config.ModelType.Length > 0 ? config.ModelType : HumanNumber.Format(model.Gguf.ParameterCount),
            QuantizationLevel = config.FileType,
        };
    }
}
