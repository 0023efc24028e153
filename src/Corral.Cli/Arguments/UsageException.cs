namespace Corral.Cli.Arguments;

/// <summary>A command line that does not fit the verb (unknown flag, missing value, wrong argument count).</summary>
internal sealed class UsageException(string message) : Exception(message);
