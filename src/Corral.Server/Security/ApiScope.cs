namespace Corral.Server.Security;

/// <summary>What an API key may do. Ordered: a key's scope covers every scope below it.</summary>
public enum ApiScope
{
    /// <summary>List, show, ps, version, metrics.</summary>
    Read = 1,

    /// <summary>Read plus generate, chat, embeddings and rerank (native and /v1).</summary>
    Infer = 2,

    /// <summary>Everything, including create, copy, delete, pull, push and blobs.</summary>
    Admin = 3,
}
