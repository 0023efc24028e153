namespace Corral.Server.WebUi;

/// <summary>One embedded file of the chat page: its bytes, media type and a strong ETag of its content.</summary>
public sealed record WebUiAsset(byte[] Content, string ContentType, string ETag);
