using Corral.Models.Manifests;

namespace Corral.Models.Registry;

/// <summary>A manifest as the registry sent it: the exact bytes (stored verbatim, so its digest matches) and the validated parse.</summary>
public sealed record RegistryManifest(byte[] Bytes, Manifest Manifest);
