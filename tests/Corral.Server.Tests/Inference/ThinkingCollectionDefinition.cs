namespace Corral.Server.Tests.Inference;

/// <summary>The thinking tests of all API surfaces share one server (<see cref="ThinkingServerFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class ThinkingCollectionDefinition : ICollectionFixture<ThinkingServerFixture>
{
    public const string Name = "thinking";
}
