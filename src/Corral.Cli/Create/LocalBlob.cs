namespace Corral.Cli.Create;

/// <summary>A local file to upload as a blob before <c>/api/create</c>.</summary>
/// <param name="Path">Absolute path on this machine.</param>
/// <param name="Digest">"sha256:&lt;hex&gt;" of its bytes.</param>
/// <param name="Size">Its length in bytes.</param>
internal sealed record LocalBlob(string Path, string Digest, long Size);
