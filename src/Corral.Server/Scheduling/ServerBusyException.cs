namespace Corral.Server.Scheduling;

/// <summary>The request queue is full (OLLAMA_MAX_QUEUE): the client should retry later (503).</summary>
public sealed class ServerBusyException() : Exception("server busy, please try again.  maximum pending requests exceeded");
