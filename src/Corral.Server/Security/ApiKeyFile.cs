using Microsoft.Extensions.Logging;

namespace Corral.Server.Security;

/// <summary>
/// <c>CORRAL_API_KEYS_FILE</c>, re-read when it changes, so <c>corral keys add</c> (or an edit) takes
/// effect without a restart. The file is looked at no more than once a second. A file that becomes
/// unreadable or malformed keeps the last good keys (fail closed, never open) and logs why; a file that
/// is malformed at start-up stops the server (<see cref="Open"/> throws).
/// </summary>
public sealed partial class ApiKeyFile
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private ApiKeyStore _current;
    private (DateTime Modified, long Length) _version;
    private long _nextCheck;

    private ApiKeyFile(string path, ApiKeyStore keys, (DateTime, long) version, ILogger logger, TimeProvider time)
    {
        _path = path;
        _current = keys;
        _version = version;
        _logger = logger;
        _time = time;
        _nextCheck = time.GetTimestamp() + Ticks(CheckInterval);
    }

    public string Path => _path;

    /// <summary>Reads the file now; throws when it is missing or malformed.</summary>
    public static ApiKeyFile Open(string path, ILogger logger, TimeProvider? time = null)
    {
        var version = VersionOf(path);
        return new ApiKeyFile(path, ApiKeyStore.Load(path), version, logger, time ?? TimeProvider.System);
    }

    /// <summary>The keys as of the last check (re-reading the file first when a check is due and it changed).</summary>
    public ApiKeyStore Current
    {
        get
        {
            var now = _time.GetTimestamp();
            if (now < Volatile.Read(ref _nextCheck))
            {
                return Volatile.Read(ref _current);
            }

            lock (_gate)
            {
                if (now >= _nextCheck)
                {
                    _nextCheck = now + Ticks(CheckInterval);
                    Refresh();
                }

                return _current;
            }
        }
    }

    private void Refresh()
    {
        try
        {
            var version = VersionOf(_path);
            if (version == _version)
            {
                return;
            }

            var keys = ApiKeyStore.Load(_path);
            Volatile.Write(ref _current, keys);
            _version = version;
            LogReloaded(_path, keys.Count);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            // Keep the last good keys: a half-written or broken file must never open the server.
            LogReloadFailed(_path, ex.Message, _current.Count);
        }
    }

    private static (DateTime, long) VersionOf(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"API keys file not found: {path}", path);
        }

        return (info.LastWriteTimeUtc, info.Length);
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys reloaded from {Path}: {Count} keys")]
    private partial void LogReloaded(string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "API keys file {Path} could not be reloaded ({Reason}); keeping the previous {Count} keys")]
    private partial void LogReloadFailed(string path, string reason, int count);
}
