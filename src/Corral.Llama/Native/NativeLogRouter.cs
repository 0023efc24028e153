using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Corral.Llama.Native;

/// <summary>
/// Receives llama.cpp/ggml log output through an unmanaged function pointer (a static method can
/// never be collected, unlike a delegate) and forwards whole lines to an <see cref="ILogger"/>.
/// Also collects error lines on the calling thread while a capture is open, so a failed native call
/// can report llama.cpp's own reason in its exception.
/// </summary>
internal static unsafe class NativeLogRouter
{
    // enum ggml_log_level
    private const int LevelNone = 0;
    private const int LevelDebug = 1;
    private const int LevelInfo = 2;
    private const int LevelWarn = 3;
    private const int LevelError = 4;
    private const int LevelCont = 5;

    private static volatile ILogger? _logger;

    // llama.cpp emits partial lines (progress dots, CONT messages); they are joined per thread.
    [ThreadStatic] private static StringBuilder? _pending;
    [ThreadStatic] private static int _pendingLevel;
    [ThreadStatic] private static StringBuilder? _capturedErrors;

    public static ILogger? Logger
    {
        get => _logger;
        set => _logger = value;
    }

    public static void Install() =>
        LlamaNative.llama_log_set((nint)(delegate* unmanaged[Cdecl]<int, byte*, nint, void>)&OnLog, 0);

    /// <summary>Routes libmtmd's (and its clip's) log through the same callback; they have their own hook.</summary>
    public static void InstallMtmd() =>
        MtmdNative.mtmd_helper_log_set((nint)(delegate* unmanaged[Cdecl]<int, byte*, nint, void>)&OnLog, 0);

    /// <summary>Starts collecting error lines logged on this thread; dispose to stop.</summary>
    public static ErrorCapture BeginCapture()
    {
        _capturedErrors = new StringBuilder();
        return new ErrorCapture();
    }

    /// <summary>Scope of <see cref="BeginCapture"/>; <see cref="Text"/> holds the errors so far.</summary>
    public readonly struct ErrorCapture : IDisposable
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The errors are read through the capture scope, so they cannot be read outside one.")]
        public string? Text
        {
            get
            {
                FlushPending();
                var errors = _capturedErrors;
                return errors is null || errors.Length == 0 ? null : errors.ToString();
            }
        }

        public void Dispose() => _capturedErrors = null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(int level, byte* text, nint userData)
    {
        // An exception must never unwind into native code: it would take the process down.
        try
        {
            if (level == LevelCont)
            {
                level = _pendingLevel;
            }
            else
            {
                FlushPending();
                _pendingLevel = level;
            }

            if (text is null || !IsWanted(level))
            {
                return;
            }

            var span = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text);
            if (span.IsEmpty)
            {
                return;
            }

            var pending = _pending ??= new StringBuilder();
            pending.Append(Encoding.UTF8.GetString(span));
            if (span[^1] == (byte)'\n')
            {
                FlushPending();
            }
        }
        catch
        {
            // Logging is best effort.
        }
    }

    private static bool IsWanted(int level) =>
        (level == LevelError && _capturedErrors is not null) || (_logger?.IsEnabled(Map(level)) ?? false);

    private static void FlushPending()
    {
        var pending = _pending;
        if (pending is null || pending.Length == 0)
        {
            return;
        }

        var line = pending.ToString().TrimEnd('\n', '\r', ' ');
        pending.Clear();
        if (line.Length == 0)
        {
            return;
        }

        if (_pendingLevel == LevelError && _capturedErrors is { } errors)
        {
            if (errors.Length > 0)
            {
                errors.Append("; ");
            }

            errors.Append(line);
        }

        var logger = _logger;
        var mapped = Map(_pendingLevel);
        if (logger is not null && logger.IsEnabled(mapped))
        {
            logger.Log(mapped, default, line, null, static (state, _) => state);
        }
    }

    private static LogLevel Map(int level) => level switch
    {
        LevelDebug => LogLevel.Debug,
        LevelInfo or LevelNone => LogLevel.Information,
        LevelWarn => LogLevel.Warning,
        LevelError => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
