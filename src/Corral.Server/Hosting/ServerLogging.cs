using Microsoft.Extensions.Logging;

namespace Corral.Server.Hosting;

/// <summary>
/// The console log every Corral process that serves HTTP writes (<c>corral serve</c> and <c>corral gateway</c>): one line
/// per entry with a UTC timestamp, Debug with OLLAMA_DEBUG, ASP.NET Core's own chatter only from Warning unless debugging.
/// </summary>
public static class ServerLogging
{
    public static void Configure(ILoggingBuilder logging, bool debug)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(debug ? LogLevel.Debug : LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", debug ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
    }
}
