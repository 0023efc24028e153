using System.Text.Json.Serialization;

namespace Corral.Models.Registry;

/// <summary>Source-generated JSON for the registry protocol and the partial-download state.</summary>
[JsonSerializable(typeof(RegistryTokenResponse))]
[JsonSerializable(typeof(PartialDownloadState))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
