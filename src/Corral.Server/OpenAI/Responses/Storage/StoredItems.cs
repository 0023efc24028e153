using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;

namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>
/// Items as they are stored and listed: every item has a type and an id, a message's content is parts (a string
/// becomes one <c>input_text</c>, or <c>output_text</c> for the assistant), and output items take the input
/// item's shape, so a stored turn can be given back to the model as input.
/// </summary>
public static class StoredItems
{
    public static List<ResponsesInputItem> FromInput(ResponsesInput? input)
    {
        switch (input)
        {
            case null:
                return [];
            case { Text: { } text }:
                return [new ResponsesInputItem { Type = "message", Id = ResponseIds.New("msg_"), Role = "user", Status = "completed", Content = new ResponsesContent([TextPart("input_text", text)]) }];
        }

        var items = new List<ResponsesInputItem>(input.Items!.Count);
        foreach (var item in input.Items)
        {
            items.Add(Normalize(item));
        }

        return items;
    }

    public static ResponsesInputItem Normalize(ResponsesInputItem item)
    {
        var type = item.Type ?? (item.Role is not null ? "message" : null);
        var prefix = type switch
        {
            "message" => "msg_",
            "function_call" => "fc_",
            "function_call_output" => "fco_",
            "reasoning" => "rs_",
            _ => "item_",
        };
        var content = item.Content;
        if (content is { Text: { } text })
        {
            content = new ResponsesContent([TextPart(item.Role == "assistant" ? "output_text" : "input_text", text)]);
        }

        return new ResponsesInputItem
        {
            Type = type,
            Id = string.IsNullOrEmpty(item.Id) ? ResponseIds.New(prefix) : item.Id,
            Role = item.Role,
            Content = content,
            Status = item.Status ?? (type is "message" or "function_call" or "function_call_output" ? "completed" : null),
            CallId = item.CallId,
            Name = item.Name,
            Arguments = item.Arguments,
            Output = item.Output,
            Summary = item.Summary,
            EncryptedContent = item.EncryptedContent,
        };
    }

    public static ResponsesInputItem FromOutput(ResponseOutputItem item) => new()
    {
        Type = item.Type,
        Id = item.Id,
        Status = item.Status,
        Role = item.Role,
        Content = item.Content is { } parts
            ? new ResponsesContent(parts.Select(p => new ResponsesContentPart { Type = p.Type, Text = p.Text, Annotations = p.Annotations ?? [] }).ToList())
            : null,
        CallId = item.CallId,
        Name = item.Name,
        Arguments = item.Arguments,
        Summary = item.Summary,
        EncryptedContent = item.EncryptedContent,
    };

    /// <summary>A page of <paramref name="items"/> (in stored order) as OpenAI lists them: after an id, up to a limit, either way.</summary>
    public static ResponseItemList Page(IReadOnlyList<ResponsesInputItem> items, ListQuery query)
    {
        IEnumerable<ResponsesInputItem> ordered = query.Descending ? items.Reverse() : items;
        if (query.After is { } after)
        {
            var rest = ordered.SkipWhile(i => i.Id != after).ToList();
            if (rest.Count == 0)
            {
                throw ApiException.BadRequest($"after: no item with id '{after}' in this list");
            }

            ordered = rest.Skip(1);
        }

        var page = ordered.Take(query.Limit + 1).ToList();
        var hasMore = page.Count > query.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new ResponseItemList { Data = page, FirstId = page.FirstOrDefault()?.Id, LastId = page.LastOrDefault()?.Id, HasMore = hasMore };
    }

    private static ResponsesContentPart TextPart(string type, string text) =>
        new() { Type = type, Text = text, Annotations = type == "output_text" ? [] : null };
}
