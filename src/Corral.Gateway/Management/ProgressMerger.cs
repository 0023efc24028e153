using System.Text.Json;
using Corral.Api.Json;

namespace Corral.Gateway.Management;

/// <summary>
/// Folds the NDJSON progress of one pull or create running on several backends into one stream a client can show as
/// one operation: byte progress of the same layer is summed over the backends (total and completed), other status
/// lines are passed on the first time any backend reports them, and the end is one <c>success</c> when every backend
/// succeeded, else one error naming each backend that failed.
/// </summary>
public sealed class ProgressMerger
{
    private readonly Dictionary<string, Dictionary<string, (long Total, long Completed)>> _progress = new(StringComparer.Ordinal);
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _succeeded = new(StringComparer.Ordinal);

    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    public bool HasFailed(string backend) => _failed.Contains(backend);

    /// <summary>The line to send for <paramref name="line"/> from <paramref name="backend"/>, or null when it is held back.</summary>
    public byte[]? Add(string backend, JsonElement line)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (line.TryGetProperty("error", out var error))
        {
            Fail(backend, error.ValueKind == JsonValueKind.String ? error.GetString()! : error.ToString());
            return null;
        }

        var status = line.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
        if (status == "success")
        {
            _succeeded.Add(backend);
            return null;
        }

        if (line.TryGetProperty("total", out var total) && total.TryGetInt64(out var totalBytes))
        {
            var completed = line.TryGetProperty("completed", out var c) && c.TryGetInt64(out var done) ? done : 0;
            if (!_progress.TryGetValue(status, out var perBackend))
            {
                _progress[status] = perBackend = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            }

            perBackend[backend] = (totalBytes, completed);
            var digest = line.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return Line(status, digest, perBackend.Values.Sum(p => p.Total), perBackend.Values.Sum(p => p.Completed));
        }

        return _announced.Add(status) ? Line(status, null, 0, 0) : null;
    }

    public void Fail(string backend, string message)
    {
        _failed.Add(backend);
        _errors.Add($"{backend}: {message}");
    }

    /// <summary>The closing line: success, or the failures.</summary>
    public byte[] Final(int backends) =>
        _errors.Count == 0 && _succeeded.Count == backends
            ? Line("success", null, 0, 0)
            : ErrorLine(_errors.Count > 0 ? string.Join("; ", _errors) : "a backend ended without success");

    public static byte[] ErrorLine(string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static byte[] Line(string status, string? digest, long total, long completed)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = GoJsonEncoder.Instance }))
        {
            json.WriteStartObject();
            json.WriteString("status", status);
            if (digest is not null)
            {
                json.WriteString("digest", digest);
            }

            if (total > 0)
            {
                json.WriteNumber("total", total);
            }

            if (completed > 0)
            {
                json.WriteNumber("completed", completed);
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
