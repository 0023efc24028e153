using System.Diagnostics;
using System.Text;

namespace Corral.Testing;

/// <summary>Everything a child process writes to stdout and stderr, collected as it comes, for readiness checks and failure messages.</summary>
public sealed class ProcessOutputLog
{
    private readonly StringBuilder _text = new();

    private ProcessOutputLog()
    {
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>Starts reading both redirected streams of <paramref name="process"/>.</summary>
    public static ProcessOutputLog Capture(Process process)
    {
        var log = new ProcessOutputLog();
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return log;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
        }
    }
}
