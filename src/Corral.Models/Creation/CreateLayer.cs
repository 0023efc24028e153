using Corral.Models.Gguf;
using Corral.Models.Manifests;

namespace Corral.Models.Creation;

/// <summary>One layer of a model being created: the manifest entry, its GGUF header when it holds weights, and the progress line it reports.</summary>
internal sealed record CreateLayer(ManifestLayer Layer, GgufFile? Gguf, string Status)
{
    public string MediaType => Layer.MediaType;
}
