namespace Corral.Bench.Gateway;

/// <summary>What one load run measured.</summary>
internal sealed record LoadFigures(int Requests, double TokensPerSecond, double TtftMedianMs, double TtftP90Ms, double LatencyMedianMs, double WallSeconds);
