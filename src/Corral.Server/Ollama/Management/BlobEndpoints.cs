using Corral.Models.Formatting;
using Corral.Models.Names;
using Corral.Models.Store;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// <c>HEAD /api/blobs/:digest</c> (200 present, 404 absent) and <c>POST /api/blobs/:digest</c>
/// (streams the body to disk while hashing; 201 stored, 200 already there, 400 on a mismatch).
/// A digest that is not <c>sha256:</c> + 64 hex characters is refused before any path is built.
/// Both hold the blob for the create that follows (<see cref="ModelStore.HoldUploadedBlob"/>), the
/// hold placed before (or with) the presence check, so a prune cannot remove the blob in between.
/// </summary>
internal static class BlobEndpoints
{
    public static IResult Head(string? digest, ModelStore store)
    {
        var parsed = Parse(digest);
        return store.TryHoldExistingBlob(parsed)
            ? Results.Ok()
            : throw ApiException.NotFound($"blob {GoText.Quote(digest)} not found");
    }

    public static async Task PostAsync(HttpContext http, string? digest, ModelStore store)
    {
        var parsed = Parse(digest);
        store.HoldUploadedBlob(parsed);
        if (store.Blobs.Exists(parsed))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        try
        {
            await store.Blobs.WriteAsync(parsed, http.Request.Body, http.RequestAborted).ConfigureAwait(false);
        }
        catch (DigestMismatchException ex)
        {
            throw ApiException.BadRequest($"digest mismatch, expected {GoText.Quote(digest)}, got {GoText.Quote(ex.Actual.ToString())}");
        }

        http.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static BlobDigest Parse(string? digest) =>
        BlobDigest.TryParse(digest, out var parsed) ? parsed : throw ApiException.BadRequest(BlobDigest.InvalidFormatMessage);
}
