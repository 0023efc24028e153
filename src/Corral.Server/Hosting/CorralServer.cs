using Corral.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Hosting;

/// <summary>Builds and runs the HTTP server (<c>corral serve</c>).</summary>
public static class CorralServer
{
    public const string RunningBanner = "Ollama is running";

    public static WebApplication Build(OllamaHost host, string[]? args = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.WebHost.UseUrls(host.ToUri().ToString());

        var app = builder.Build();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], static () => Results.Text(RunningBanner));
        return app;
    }
}
