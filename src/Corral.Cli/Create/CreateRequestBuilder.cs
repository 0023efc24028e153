using System.Text.Json;
using Corral.Api.Json;
using Corral.Api.Ollama;
using Corral.Models.Modelfiles;

namespace Corral.Cli.Create;

/// <summary>
/// Turns a parsed Modelfile into a <c>/api/create</c> request, as ollama's client does: a FROM that names an
/// existing file or folder (relative to the Modelfile's folder, <c>~</c> expanded) becomes <c>files</c>
/// (file name → digest) to upload; any other FROM is a model name. ADAPTER paths become <c>adapters</c>, a DRAFT
/// path <c>draft_files</c>;
/// PARAMETER lines become typed <c>parameters</c>; MESSAGE, LICENSE, TEMPLATE, SYSTEM, RENDERER and PARSER carry over.
/// </summary>
internal static class CreateRequestBuilder
{
    public static async Task<CreatePlan> BuildAsync(Modelfile modelfile, string modelfileDirectory, CancellationToken cancellationToken)
    {
        var request = new CreateRequest();
        var uploads = new List<LocalBlob>();
        var warnings = new List<string>();
        var licenses = new List<string>();
        var messages = new List<Message>();
        foreach (var command in modelfile.Commands)
        {
            switch (command.Kind)
            {
                case ModelfileCommandKind.From:
                    var fromPath = ExpandPath(command.Value, modelfileDirectory);
                    if (File.Exists(fromPath) || Directory.Exists(fromPath))
                    {
                        var blobs = await DigestAllAsync(ModelFiles(fromPath), cancellationToken).ConfigureAwait(false);
                        request.Files ??= [];
                        AddAll(request.Files, blobs, uploads);
                    }
                    else
                    {
                        request.From = command.Value;
                    }

                    break;
                case ModelfileCommandKind.Adapter:
                    var adapterPath = ExpandPath(command.Value, modelfileDirectory);
                    if (!File.Exists(adapterPath) && !Directory.Exists(adapterPath))
                    {
                        throw new FileNotFoundException($"open {adapterPath}: no such file or directory");
                    }

                    var adapters = await DigestAllAsync(ModelFiles(adapterPath), cancellationToken).ConfigureAwait(false);
                    request.Adapters ??= [];
                    AddAll(request.Adapters, adapters, uploads);
                    break;
                case ModelfileCommandKind.Draft:
                    var draftPath = ExpandPath(command.Value, modelfileDirectory);
                    if (!File.Exists(draftPath) && !Directory.Exists(draftPath))
                    {
                        throw new FileNotFoundException($"open {draftPath}: no such file or directory");
                    }

                    var drafts = await DigestAllAsync(ModelFiles(draftPath), cancellationToken).ConfigureAwait(false);
                    request.DraftFiles ??= [];
                    AddAll(request.DraftFiles, drafts, uploads);
                    break;
                case ModelfileCommandKind.Template:
                    request.Template = command.Value;
                    break;
                case ModelfileCommandKind.System:
                    request.System = command.Value;
                    break;
                case ModelfileCommandKind.License:
                    licenses.Add(command.Value);
                    break;
                case ModelfileCommandKind.Message:
                    messages.Add(new Message { Role = command.Name!, Content = command.Value });
                    break;
                case ModelfileCommandKind.Renderer:
                    request.Renderer = command.Value;
                    break;
                case ModelfileCommandKind.Parser:
                    request.Parser = command.Value;
                    break;
                case ModelfileCommandKind.Parameter when ModelfileParameters.TryGet(command.Name!, out var definition) && definition.IsDeprecated:
                    warnings.Add($"warning: parameter {command.Name} is deprecated");
                    break;
            }
        }

        request.Parameters = Parameters(modelfile);
        request.Messages = messages.Count > 0 ? messages : null;
        request.License = licenses.Count switch
        {
            0 => null,
            1 => new StringOrArray(licenses[0]),
            _ => new StringOrArray(licenses),
        };
        return new CreatePlan(request, uploads, warnings);
    }

    /// <summary>
    /// The files a FROM/ADAPTER path stands for: the file itself, or from a folder its safetensors (with the
    /// JSON configuration and tokenizer files next to them), else its GGUF files, else its .bin files.
    /// </summary>
    public static IReadOnlyList<string> ModelFiles(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        static string[] Glob(string dir, string pattern) =>
            Directory.GetFiles(dir, pattern, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToArray();

        var safetensors = Glob(path, "*.safetensors");
        if (safetensors.Length > 0)
        {
            return [.. safetensors, .. Glob(path, "*.json"), .. Glob(path, "tokenizer.model")];
        }

        var gguf = Glob(path, "*.gguf");
        if (gguf.Length > 0)
        {
            return gguf;
        }

        var bin = Glob(path, "*.bin");
        return bin.Length > 0 ? bin : throw new FileNotFoundException($"no safetensors or gguf files found in {path}");
    }

    /// <summary>Expands <c>~</c> and makes a relative path relative to the Modelfile's folder.</summary>
    public static string ExpandPath(string path, string baseDirectory)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (path == "~")
        {
            path = home;
        }
        else if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(home, path[2..]);
        }

        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(baseDirectory, path));
    }

    private static Dictionary<string, JsonElement>? Parameters(Modelfile modelfile)
    {
        var json = modelfile.ParamsJson();
        using var document = JsonDocument.Parse(json);
        var parameters = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
        return parameters.Count > 0 ? parameters : null;
    }

    private static async Task<LocalBlob[]> DigestAllAsync(IReadOnlyList<string> files, CancellationToken cancellationToken) =>
        await Task.WhenAll(files.Select(f => FileDigests.ComputeAsync(f, cancellationToken))).ConfigureAwait(false);

    private static void AddAll(Dictionary<string, string> names, IEnumerable<LocalBlob> blobs, List<LocalBlob> uploads)
    {
        foreach (var blob in blobs)
        {
            names[Path.GetFileName(blob.Path)] = blob.Digest;
            if (!uploads.Exists(u => u.Digest == blob.Digest))
            {
                uploads.Add(blob);
            }
        }
    }
}
