namespace Corral.Templates.Tests.Jinja;

/// <summary>A clock stuck at 2025-01-15 09:05:07 UTC, the time the golden renders were made with.</summary>
internal sealed class FixedTime : TimeProvider
{
    public static readonly FixedTime Instance = new();

    public override DateTimeOffset GetUtcNow() => new(2025, 1, 15, 9, 5, 7, TimeSpan.Zero);

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
