namespace Corral.Models.Manifests;

/// <summary>The media types found in Ollama manifests.</summary>
public static class MediaTypes
{
    /// <summary>The manifest itself (Docker image manifest v2, schema 2).</summary>
    public const string Manifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>The config blob (<see cref="ModelConfig"/>).</summary>
    public const string Config = "application/vnd.docker.container.image.v1+json";

    /// <summary>The GGUF weights.</summary>
    public const string Model = "application/vnd.ollama.image.model";

    /// <summary>Old embedding-model layer; Ollama no longer writes it.</summary>
    public const string Embed = "application/vnd.ollama.image.embed";

    public const string Adapter = "application/vnd.ollama.image.adapter";
    public const string Projector = "application/vnd.ollama.image.projector";

    /// <summary>The draft model of speculative decoding (Modelfile DRAFT).</summary>
    public const string Draft = "application/vnd.ollama.image.draft";

    /// <summary>Go text/template prompt template.</summary>
    public const string Template = "application/vnd.ollama.image.template";

    /// <summary>Legacy template layer from old models; read like <see cref="Template"/>.</summary>
    public const string Prompt = "application/vnd.ollama.image.prompt";

    public const string System = "application/vnd.ollama.image.system";

    /// <summary>JSON object of default options (PARAMETER lines).</summary>
    public const string Params = "application/vnd.ollama.image.params";

    /// <summary>JSON array of {role, content} (MESSAGE lines).</summary>
    public const string Messages = "application/vnd.ollama.image.messages";

    public const string License = "application/vnd.ollama.image.license";

    /// <summary>One safetensors tensor (Ollama's newer non-GGUF models).</summary>
    public const string Tensor = "application/vnd.ollama.image.tensor";
}
