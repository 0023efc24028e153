namespace Corral.Bench.Soak;

/// <summary>One kind of request in the mix: the route it is reported under, how often it is picked, and how to send it.</summary>
internal sealed record SoakAction(string Route, int Weight, Func<SoakCalls, CancellationToken, Task> Send);
