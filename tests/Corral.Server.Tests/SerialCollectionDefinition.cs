namespace Corral.Server.Tests;

/// <summary>
/// Test classes that must not share the machine with other tests of this assembly, run one at a time after the
/// parallel ones: those that measure memory or time (ResourceBoundsTests), read the process-wide meter every
/// in-process server records to (MetricsEndpointTests), or read device memory that other runners would change (Gpu).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollectionDefinition
{
    public const string Name = "serial";
}
