namespace Corral.Gateway.Routing;

/// <summary>Why a backend was chosen, counted in the gateway's /metrics (<c>corral_gateway_routing_decisions_total</c>).</summary>
public enum RoutingDecision
{
    /// <summary>The model is loaded there with a free slot (the conversation's backend when several qualify).</summary>
    Loaded,

    /// <summary>No loaded copy had a free slot: the least loaded backend with the model on disk (it may load it).</summary>
    OnDisk,

    /// <summary>No backend has the model: the least loaded one answers (usually "model not found").</summary>
    LeastLoaded,

    /// <summary>The client named the backend (<c>X-Corral-Backend</c>).</summary>
    Named,
}
