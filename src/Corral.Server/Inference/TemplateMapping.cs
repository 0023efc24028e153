using System.Text.Json;
using Corral.Models.Manifests;
using Corral.Templates.GoTemplates;
using ApiMessage = Corral.Api.Ollama.Message;
using ApiThink = Corral.Api.Ollama.ThinkValue;
using ApiTool = Corral.Api.Ollama.Tool;
using T = Corral.Templates.Prompting;

namespace Corral.Server.Inference;

/// <summary>Maps wire types onto the template engine's data model (Ollama's template variables).</summary>
public static class TemplateMapping
{
    public static T.ChatMessage Message(ApiMessage m) => new()
    {
        Role = m.Role,
        Content = m.Content,
        Thinking = m.Thinking ?? string.Empty,
        Images = m.Images ?? [],
        ToolName = m.ToolName ?? string.Empty,
        ToolCallId = m.ToolCallId ?? string.Empty,
        ToolCalls = m.ToolCalls is { Count: > 0 } calls
            ? calls.Select(c => new T.ToolCall
            {
                Id = c.Id ?? string.Empty,
                Function = new T.ToolCallFunction
                {
                    Index = c.Function.Index,
                    Name = c.Function.Name,
                    Arguments = T.ToolCallArguments.FromJson(JsonSerializer.SerializeToElement(c.Function.Arguments, Corral.Api.Ollama.OllamaJsonContext.Default.JsonObject)),
                },
            }).ToList()
            : [],
    };

    public static T.ChatMessage Message(ManifestMessage m) => new() { Role = m.Role, Content = m.Content };

    public static T.ThinkValue? Think(ApiThink? think) => think switch
    {
        null => null,
        { IsBool: true } t => T.ThinkValue.FromBool(t.IsEnabled),
        { } t => T.ThinkValue.FromLevel(t.Level!),
    };

    public static List<T.Tool>? Tools(IReadOnlyList<ApiTool>? tools)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        return tools.Select(t => new T.Tool
        {
            Type = t.Type,
            Items = t.Items is { } items ? TemplateValue.FromJson(items) : TemplateValue.Nil,
            Function = new T.ToolFunction
            {
                Name = t.Function.Name,
                Description = t.Function.Description ?? string.Empty,
                Parameters = t.Function.Parameters is { ValueKind: JsonValueKind.Object } p ? Parameters(p) : new T.ToolParameters(),
            },
        }).ToList();
    }

    private static T.ToolParameters Parameters(JsonElement schema) => new()
    {
        Type = schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "object",
        Required = Strings(schema, "required"),
        Properties = Properties(schema),
        Defs = schema.TryGetProperty("$defs", out var defs) ? TemplateValue.FromJson(defs) : TemplateValue.Nil,
        Items = schema.TryGetProperty("items", out var items) ? TemplateValue.FromJson(items) : TemplateValue.Nil,
    };

    private static T.ToolPropertyMap? Properties(JsonElement schema)
    {
        if (!schema.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var map = new T.ToolPropertyMap();
        foreach (var p in props.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                map.Add(p.Name, Property(p.Value));
            }
        }

        return map;
    }

    private static T.ToolProperty Property(JsonElement schema) => new()
    {
        Type = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList() : [type.GetString() ?? string.Empty]
            : [],
        Description = schema.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : string.Empty,
        Enum = schema.TryGetProperty("enum", out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(TemplateValue.FromJson).ToList() : null,
        Items = schema.TryGetProperty("items", out var items) ? TemplateValue.FromJson(items) : TemplateValue.Nil,
        Properties = Properties(schema),
        Required = Strings(schema, "required"),
        AnyOf = schema.TryGetProperty("anyOf", out var any) && any.ValueKind == JsonValueKind.Array
            ? any.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(Property).ToList()
            : null,
    };

    private static List<string>? Strings(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : null;
}
