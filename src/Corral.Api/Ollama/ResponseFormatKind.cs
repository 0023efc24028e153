namespace Corral.Api.Ollama;

/// <summary>What a request's <c>format</c> asks for.</summary>
public enum ResponseFormatKind
{
    /// <summary>Absent, null or "": free text.</summary>
    None,

    /// <summary>"json": any JSON value.</summary>
    Json,

    /// <summary>A JSON schema object the output must match.</summary>
    Schema,
}
