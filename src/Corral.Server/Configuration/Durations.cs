using Corral.Api.Ollama;

namespace Corral.Server.Configuration;

/// <summary>
/// keep_alive-style durations as the scheduler holds them: parsed by <see cref="KeepAlive"/> (Go duration
/// text or seconds, negative = forever) and turned into a <see cref="TimeSpan"/> where
/// <see cref="Forever"/> stands for "never expire".
/// </summary>
public static class Durations
{
    public static readonly TimeSpan Forever = TimeSpan.MaxValue;

    public static TimeSpan Parse(string text) => FromKeepAlive(KeepAlive.Parse(text));

    public static TimeSpan FromKeepAlive(KeepAlive keepAlive) =>
        keepAlive.IsForever ? Forever : TimeSpan.FromTicks(keepAlive.Nanoseconds / 100);
}
