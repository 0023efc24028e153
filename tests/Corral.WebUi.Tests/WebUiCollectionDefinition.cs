namespace Corral.WebUi.Tests;

/// <summary>The page's test classes share one server, registry and browser.</summary>
[CollectionDefinition(Name)]
public sealed class WebUiCollectionDefinition : ICollectionFixture<WebUiFixture>
{
    public const string Name = "web ui";
}
