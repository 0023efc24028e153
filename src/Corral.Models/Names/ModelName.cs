using System.Diagnostics.CodeAnalysis;

namespace Corral.Models.Names;

/// <summary>
/// A model reference in Ollama's form <c>[host/][namespace/]model[:tag][@digest]</c>, with
/// missing parts filled from the defaults (<c>registry.ollama.ai</c>, <c>library</c>, <c>latest</c>).
/// Parsing never throws: like Ollama, an unparseable string yields a name whose
/// <see cref="IsValid"/> is false. The display case is kept; equality ignores ASCII case.
/// </summary>
public sealed class ModelName : IEquatable<ModelName>
{
    public const string DefaultHost = "registry.ollama.ai";
    public const string DefaultNamespace = "library";
    public const string DefaultTag = "latest";

    private ModelName(string host, string @namespace, string model, string tag, BlobDigest? digest, bool malformed)
    {
        Host = host;
        Namespace = @namespace;
        Model = model;
        Tag = tag;
        Digest = digest;
        _malformed = malformed;
    }

    // Set when the input had a part that could not be represented (an empty part promised by a
    // separator, an unparseable @digest); such a name is never valid, whatever its parts say.
    private readonly bool _malformed;

    public string Host { get; }
    public string Namespace { get; }
    public string Model { get; }
    public string Tag { get; }

    /// <summary>The optional <c>@sha256:...</c> suffix. It never takes part in the manifest path.</summary>
    public BlobDigest? Digest { get; }

    /// <summary>True when every part is present and passes Ollama's character and length rules.</summary>
    public bool IsFullyQualified =>
        !_malformed
        && ModelNamePart.IsValid(ModelNamePartKind.Host, Host)
        && ModelNamePart.IsValid(ModelNamePartKind.Namespace, Namespace)
        && ModelNamePart.IsValid(ModelNamePartKind.Model, Model)
        && ModelNamePart.IsValid(ModelNamePartKind.Tag, Tag);

    /// <summary>Same as <see cref="IsFullyQualified"/>: parsing fills defaults, so a valid name is always complete.</summary>
    public bool IsValid => IsFullyQualified;

    /// <summary>Parses with defaults filled in. Check <see cref="IsValid"/> before using the result.</summary>
    public static ModelName Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new ModelName(DefaultHost, DefaultNamespace, "", DefaultTag, null, malformed: true);
        }

        var malformed = false;
        var rest = text.AsSpan();
        BlobDigest? digest = null;

        // '@' cannot occur in any other part, and the digest itself contains ':', so cut it first.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            if (!BlobDigest.TryParse(rest[(at + 1)..].ToString(), out var parsed))
            {
                malformed = true;
            }

            digest = parsed;
            rest = rest[..at];
        }

        string? tag = null;
        if (rest.LastIndexOf(':') > rest.LastIndexOf('/'))
        {
            var colon = rest.LastIndexOf(':');
            tag = rest[(colon + 1)..].ToString();
            rest = rest[..colon];
            malformed |= tag.Length == 0;
        }

        string? host = null;
        string? ns = null;
        string model;
        var slash = rest.LastIndexOf('/');
        if (slash < 0)
        {
            model = rest.ToString();
        }
        else
        {
            model = rest[(slash + 1)..].ToString();
            rest = rest[..slash];
            malformed |= model.Length == 0 || rest.Length == 0;
            slash = rest.LastIndexOf('/');
            if (slash < 0)
            {
                ns = rest.ToString();
            }
            else
            {
                ns = rest[(slash + 1)..].ToString();
                rest = rest[..slash];
                malformed |= ns.Length == 0 || rest.Length == 0;

                // Ollama accepts (and drops) a URL scheme in front of the host: https://hf.co/u/r.
                var scheme = rest.IndexOf("://", StringComparison.Ordinal);
                host = (scheme >= 0 ? rest[(scheme + 3)..] : rest).ToString();
            }
        }

        return new ModelName(host ?? DefaultHost, ns ?? DefaultNamespace, model, tag ?? DefaultTag, digest, malformed);
    }

    /// <summary>Parses and returns true only for a valid name.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ModelName? name)
    {
        var parsed = Parse(text);
        name = parsed.IsValid ? parsed : null;
        return name is not null;
    }

    /// <summary>Parses, throwing <see cref="FormatException"/> for an invalid name.</summary>
    public static ModelName ParseValid(string? text) =>
        TryParse(text, out var name) ? name : throw new FormatException($"invalid model name '{text}'");

    /// <summary>
    /// Builds a name from a manifest path relative to <c>manifests/</c> (host/namespace/model/tag),
    /// as found on disk. Returns null unless exactly four valid parts are present.
    /// </summary>
    public static ModelName? FromManifestRelativePath(string relativePath)
    {
        var parts = relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (parts.Length != 4)
        {
            return null;
        }

        var name = new ModelName(parts[0], parts[1], parts[2], parts[3], null, malformed: false);
        return name.IsFullyQualified ? name : null;
    }

    /// <summary>The same name with another tag (display case of the other parts kept).</summary>
    public ModelName WithTag(string tag) => new(Host, Namespace, Model, tag, Digest, _malformed);

    /// <summary>The same name without its <c>@digest</c> suffix.</summary>
    public ModelName WithoutDigest() => new(Host, Namespace, Model, Tag, null, _malformed);

    /// <summary>
    /// The path of this model's manifest relative to <c>manifests/</c>:
    /// <c>host/namespace/model/tag</c>. Throws for an invalid name, so that no unchecked text
    /// ever becomes a path.
    /// </summary>
    public string ManifestRelativePath
    {
        get
        {
            if (!IsFullyQualified)
            {
                throw new InvalidOperationException($"invalid model name '{this}' cannot become a path");
            }

            return Path.Combine(Host, Namespace, Model, Tag);
        }
    }

    /// <summary>
    /// The shortest form, as Ollama lists models: <c>model:tag</c> for the default host and
    /// namespace, <c>namespace/model:tag</c> for the default host, else <c>host/namespace/model:tag</c>.
    /// </summary>
    public string DisplayShortest()
    {
        if (!Host.Equals(DefaultHost, StringComparison.OrdinalIgnoreCase))
        {
            return $"{Host}/{Namespace}/{Model}:{Tag}";
        }

        return Namespace.Equals(DefaultNamespace, StringComparison.OrdinalIgnoreCase)
            ? $"{Model}:{Tag}"
            : $"{Namespace}/{Model}:{Tag}";
    }

    /// <summary>The full form <c>host/namespace/model:tag</c> (without digest).</summary>
    public string DisplayFull() => $"{Host}/{Namespace}/{Model}:{Tag}";

    public override string ToString() => Digest is null ? DisplayFull() : $"{DisplayFull()}@{Digest}";

    public bool Equals(ModelName? other) =>
        other is not null
        && _malformed == other._malformed
        && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Namespace, other.Namespace, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Model, other.Model, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Tag, other.Tag, StringComparison.OrdinalIgnoreCase)
        && Equals(Digest, other.Digest);

    public override bool Equals(object? obj) => Equals(obj as ModelName);

    public override int GetHashCode()
    {
        var comparer = StringComparer.OrdinalIgnoreCase;
        return HashCode.Combine(comparer.GetHashCode(Host), comparer.GetHashCode(Namespace),
            comparer.GetHashCode(Model), comparer.GetHashCode(Tag), Digest);
    }

    public static bool operator ==(ModelName? left, ModelName? right) => Equals(left, right);

    public static bool operator !=(ModelName? left, ModelName? right) => !Equals(left, right);
}
