namespace Corral.Cli.Tests.EndToEnd;

/// <summary>What a finished <c>corral</c> process printed.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}
