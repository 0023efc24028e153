using Corral.Runner.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Hosting;

/// <summary>
/// What a server hosted inside another process (a test host) changes about its surroundings: where it reads the
/// variables that are not in <see cref="Configuration.ServerSettings"/> and hands its children (<see cref="Environment"/>),
/// where its log goes (<see cref="Logging"/>), and what else its host replaces (<see cref="Services"/>). <c>corral
/// serve</c> takes the defaults: the process environment, the console, the console lifetime (SIGTERM stops it).
/// </summary>
public sealed record ServerHostOptions
{
    public static ServerHostOptions Default { get; } = new();

    /// <summary>The server's variables (GPU scheduling, OTLP export, HF_TOKEN, its children's environment).</summary>
    public EnvironmentSource Environment { get; init; } = EnvironmentSource.Process;

    /// <summary>Runs after the console log is set up (<see cref="ServerLogging"/>): may replace its providers, keeping its levels.</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Runs last on the services, before the app is built: may replace one (a host's lifetime, say).</summary>
    public Action<IServiceCollection>? Services { get; init; }
}
