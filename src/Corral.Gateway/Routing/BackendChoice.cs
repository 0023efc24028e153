using Corral.Gateway.Fleet;

namespace Corral.Gateway.Routing;

/// <summary>A backend the router picked, and why.</summary>
public sealed record BackendChoice(Backend Backend, RoutingDecision Decision);
