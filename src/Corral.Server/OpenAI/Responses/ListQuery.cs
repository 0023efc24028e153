using System.Globalization;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Corral.Server.OpenAI.Responses;

/// <summary>A list's query string as OpenAI reads it: <c>after</c> (an item id), <c>limit</c> (1–100, default 20), <c>order</c> (asc or desc, default desc).</summary>
public sealed record ListQuery(string? After, int Limit, bool Descending)
{
    public static ListQuery From(HttpRequest request)
    {
        var query = request.Query;
        var limit = 20;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 100))
        {
            throw ApiException.BadRequest($"limit must be an integer from 1 to 100, not '{text}'");
        }

        var descending = query["order"].ToString() switch
        {
            "" or "desc" => true,
            "asc" => false,
            var other => throw ApiException.BadRequest($"order must be 'asc' or 'desc', not '{other}'"),
        };
        IncludeValues.Check(query["include"].Concat(query["include[]"]));
        return new ListQuery(query["after"].ToString() is { Length: > 0 } after ? after : null, limit, descending);
    }
}
