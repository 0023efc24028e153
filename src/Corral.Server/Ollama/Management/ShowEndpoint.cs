using System.Text;
using Corral.Api.Ollama;
using Corral.Models.Gguf;
using Corral.Models.Manifests;
using Corral.Models.Modelfiles;
using Corral.Server.Http;
using Corral.Server.Resolution;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.Ollama.Management;

/// <summary><c>POST /api/show</c>: everything about one local model.</summary>
internal static class ShowEndpoint
{
    public static async Task HandleAsync(HttpContext http, ModelResolver resolver)
    {
        var request = await RequestJson.ReadAsync(http, OllamaJsonContext.Default.ShowRequest).ConfigureAwait(false);
        var name = request.ResolveModel();
        if (string.IsNullOrEmpty(name))
        {
            throw ApiException.BadRequest("model is required");
        }

        // Ollama names a missing model in its shortest form with the tag ("model 'x:latest' not found").
        var model = resolver.Resolve(name, $"model '{ModelResolver.ParseName(name).DisplayShortest()}' not found");
        var response = Build(resolver, model, request);
        await Results.Json(response, OllamaJsonContext.Wire.ShowResponse).ExecuteAsync(http).ConfigureAwait(false);
    }

    public static ShowResponse Build(ModelResolver resolver, ResolvedModel model, ShowRequest request)
    {
        var store = resolver.Store;
        var manifest = model.Stored.Manifest;
        var paramsJson = manifest.FindLayer(MediaTypes.Params) is { } p ? store.ReadText(p) : null;
        var system = !string.IsNullOrEmpty(request.System) ? request.System : model.System;

        var response = new ShowResponse
        {
            License = string.Join('\n', model.Licenses),
            Modelfile = Modelfile(model, paramsJson, system).ToShowText(model.Name.DisplayShortest()),
            Parameters = ShowParameters.Format(paramsJson),
            Template = ShowTemplate.For(model),
            System = system,
            Renderer = model.Config.Renderer,
            Parser = model.Config.Parser,
            Details = Details(model),
            Messages = model.Messages.Select(m => new Message { Role = m.Role, Content = m.Content }).ToList(),
            Capabilities = model.Capabilities,
            ModifiedAt = model.Stored.ModifiedAt.ToLocalTime(),
        };

        // Verbose answers carry whole vocabularies, which the resolver's cached header skips.
        var gguf = request.Verbose ? ReadGguf(model.ModelPath, GgufReadOptions.Default) : model.Gguf;
        response.ModelInfo = GgufModelInfo.ToJson(gguf, request.Verbose);
        if (request.Verbose)
        {
            response.Tensors = gguf.Tensors
                .Select(t => new TensorInfo { Name = t.Name, Type = t.Type.ToString(), Shape = t.Dimensions.Select(d => (ulong)d).ToList() })
                .ToList();
        }

        response.Adapters = Adapters(store, manifest);
        if (model.ProjectorPath is { } projector)
        {
            var options = request.Verbose ? GgufReadOptions.Default : GgufReadOptions.MetadataOnly;
            response.ProjectorInfo = GgufModelInfo.ToJson(ReadGguf(projector, options), request.Verbose);
        }

        return response;
    }

    /// <summary>The adapter layers in manifest order (their id), with alpha and rank read from each GGUF header.</summary>
    private static List<AdapterInfo> Adapters(Corral.Models.Store.ModelStore store, Manifest manifest)
    {
        var adapters = new List<AdapterInfo>();
        foreach (var layer in manifest.Layers.Where(l => l.MediaType == MediaTypes.Adapter))
        {
            var info = new AdapterInfo { Id = adapters.Count, Digest = layer.Digest.ToString() };
            adapters.Add(info);
            GgufFile gguf;
            try
            {
                gguf = GgufReader.Read(store.Blobs.GetPath(layer.Digest), GgufReadOptions.MetadataOnly);
            }
            catch (Exception ex) when (ex is GgufFormatException or IOException or InvalidDataException)
            {
                continue; // the digest alone; a load would say what is wrong
            }

            info.Alpha = gguf.TryGetDouble("adapter.lora.alpha", out var alpha) ? (float)alpha : null;
            var pairs = gguf.Tensors.Where(t => t.Name.EndsWith(".lora_b", StringComparison.Ordinal)).ToList();
            info.Weights = pairs.Count;
            info.Rank = pairs.Count > 0 ? pairs[0].Dimensions[0] : null;
        }

        return adapters;
    }

    /// <summary>Details as Ollama shows them: from the config blob, parent from the weights layer's <c>from</c>.</summary>
    public static ModelDetails Details(ResolvedModel model) => new()
    {
        ParentModel = model.Stored.Manifest.FindLayer(MediaTypes.Model)?.From ?? string.Empty,
        Format = model.Config.ModelFormat,
        Family = model.Config.ModelFamily,
        Families = model.Config.ModelFamilies,
        ParameterSize = model.Config.ModelType,
        QuantizationLevel = model.Config.FileType,
    };

    /// <summary>The Modelfile that recreates the model: FROM the weights blob, then its layers and parameters.</summary>
    private static Modelfile Modelfile(ResolvedModel model, string? paramsJson, string? system)
    {
        var commands = new List<ModelfileCommand> { new(ModelfileCommandKind.From, model.ModelPath) };
        commands.AddRange(model.AdapterPaths.Select(a => new ModelfileCommand(ModelfileCommandKind.Adapter, a)));
        if (model.DraftPath is { } draft)
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.Draft, draft));
        }

        if (model.ProjectorPath is { } projector)
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.From, projector));
        }

        if (!string.IsNullOrEmpty(model.Template))
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.Template, model.Template));
        }

        if (!string.IsNullOrEmpty(system))
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.System, system));
        }

        if (!string.IsNullOrEmpty(model.Config.Renderer))
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.Renderer, model.Config.Renderer));
        }

        if (!string.IsNullOrEmpty(model.Config.Parser))
        {
            commands.Add(new ModelfileCommand(ModelfileCommandKind.Parser, model.Config.Parser));
        }

        if (!string.IsNullOrWhiteSpace(paramsJson))
        {
            commands.AddRange(ModelfileParameters.FromParamsJson(Encoding.UTF8.GetBytes(paramsJson)));
        }

        commands.AddRange(model.Licenses.Select(l => new ModelfileCommand(ModelfileCommandKind.License, l)));
        commands.AddRange(model.Messages.Select(m => new ModelfileCommand(ModelfileCommandKind.Message, m.Content, m.Role)));
        return new Modelfile(commands);
    }

    private static GgufFile ReadGguf(string path, GgufReadOptions options)
    {
        try
        {
            return GgufReader.Read(path, options);
        }
        catch (GgufFormatException ex)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, ex.Message);
        }
    }
}
