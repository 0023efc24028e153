namespace Corral.Models.Registry;

/// <summary>
/// A <c>WWW-Authenticate: Bearer realm="...",service="...",scope="..."</c> challenge from a registry.
/// </summary>
public sealed record RegistryChallenge(string Realm, string? Service, string? Scope)
{
    /// <summary>Parses a Bearer challenge; null for anything else (Basic, malformed, no realm).</summary>
    public static RegistryChallenge? Parse(string? header)
    {
        if (header is null)
        {
            return null;
        }

        var text = header.AsSpan().Trim();
        const string scheme = "Bearer ";
        if (!text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rest = text[scheme.Length..].ToString();
        var i = 0;
        while (i < rest.Length)
        {
            while (i < rest.Length && (rest[i] == ',' || char.IsWhiteSpace(rest[i])))
            {
                i++;
            }

            var eq = rest.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = rest[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < rest.Length && rest[i] == '"')
            {
                var close = rest.IndexOf('"', i + 1);
                if (close < 0)
                {
                    return null;
                }

                value = rest[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = rest.IndexOf(',', i);
                var end = comma < 0 ? rest.Length : comma;
                value = rest[i..end].Trim();
                i = end;
            }

            values[key] = value;
        }

        return values.TryGetValue("realm", out var realm) && realm.Length > 0
            ? new RegistryChallenge(realm, values.GetValueOrDefault("service"), values.GetValueOrDefault("scope"))
            : null;
    }

    /// <summary>The token URL: the realm with <c>service</c> and each space-separated <c>scope</c> as query parameters.</summary>
    public Uri BuildTokenUri()
    {
        // On Unix "/token" parses as an absolute file: URI, so the scheme is checked too.
        if (!Uri.TryCreate(Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw new RegistryException($"invalid token realm '{Realm}'");
        }

        var query = new List<string>();
        if (!string.IsNullOrEmpty(realm.Query))
        {
            query.Add(realm.Query.TrimStart('?'));
        }

        if (!string.IsNullOrEmpty(Service))
        {
            query.Add($"service={Uri.EscapeDataString(Service)}");
        }

        foreach (var scope in (Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add($"scope={Uri.EscapeDataString(scope)}");
        }

        return new UriBuilder(realm) { Query = string.Join('&', query) }.Uri;
    }
}
