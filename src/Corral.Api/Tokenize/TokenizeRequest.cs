using System.Text.Json.Serialization;
using Corral.Api.Ollama;

namespace Corral.Api.Tokenize;

/// <summary>
/// Body of <c>POST /api/tokenize</c> (a Corral extension, Ollama #12031): text in, the model's token ids out. The
/// special-token switches are llama-server's, with its defaults.
/// </summary>
public sealed class TokenizeRequest
{
    [JsonPropertyName("model")]
    public string Model { get; set; } = string.Empty;

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    /// <summary>Add the model's BOS (and EOS, where its tokenizer does) around the text; off by default.</summary>
    [JsonPropertyName("add_special")]
    public bool? AddSpecial { get; set; }

    /// <summary>Read special-token text (such as <c>&lt;|eot_id|&gt;</c>) as that token; on by default.</summary>
    [JsonPropertyName("parse_special")]
    public bool? ParseSpecial { get; set; }

    [JsonPropertyName("keep_alive")]
    public KeepAlive? KeepAlive { get; set; }

    [JsonPropertyName("options")]
    public ModelOptions? Options { get; set; }
}
