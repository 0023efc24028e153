using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Server.Security;

namespace Corral.Server.Tests.Security;

/// <summary>Every route group against every key scope, over real HTTP to a server with keys on.</summary>
public sealed class ApiKeyRouteTests(ApiKeyServerFixture fx) : IClassFixture<ApiKeyServerFixture>
{
    private const string ZeroDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>One request per route, with the status it gets when the key's scope allows it.</summary>
    private static readonly (string Method, string Path, string? Body, ApiScope Scope, HttpStatusCode Allowed)[] Routes =
    [
        ("GET", "/api/version", null, ApiScope.Read, HttpStatusCode.OK),
        ("GET", "/api/tags", null, ApiScope.Read, HttpStatusCode.OK),
        ("POST", "/api/show", """{"model":"successor"}""", ApiScope.Read, HttpStatusCode.OK),
        ("GET", "/api/ps", null, ApiScope.Read, HttpStatusCode.OK),
        ("GET", "/v1/models", null, ApiScope.Read, HttpStatusCode.OK),
        ("GET", "/v1/models/successor", null, ApiScope.Read, HttpStatusCode.OK),
        ("GET", "/metrics", null, ApiScope.Read, HttpStatusCode.OK),
        ("POST", "/api/generate", """{"model":"successor","prompt":"x 3","stream":false,"options":{"num_predict":1}}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/api/chat", """{"model":"successor-chat","messages":[{"role":"user","content":"hi"}],"stream":false,"options":{"num_predict":1}}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/api/embed", """{"input":"hi"}""", ApiScope.Infer, HttpStatusCode.NotFound), // Ollama: "model '' not found"
        ("POST", "/api/embeddings", """{"prompt":"hi"}""", ApiScope.Infer, HttpStatusCode.BadRequest),
        ("POST", "/v1/chat/completions", """{"model":"successor-chat","messages":[{"role":"user","content":"hi"}],"max_tokens":1}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/v1/completions", """{"model":"successor","prompt":"x 3","max_tokens":1}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/v1/embeddings", """{"input":"hi"}""", ApiScope.Infer, HttpStatusCode.NotFound),
        ("POST", "/v1/messages", """{"model":"successor-chat","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/v1/messages/count_tokens", """{"model":"successor-chat","messages":[{"role":"user","content":"hi"}]}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/v1/responses", """{"model":"successor-chat","input":"hi","max_output_tokens":1}""", ApiScope.Infer, HttpStatusCode.OK),
        ("POST", "/api/rerank", """{"query":"q","documents":["a"]}""", ApiScope.Infer, HttpStatusCode.BadRequest),
        ("POST", "/v1/rerank", """{"query":"q","documents":["a"]}""", ApiScope.Infer, HttpStatusCode.BadRequest),
        ("POST", "/api/copy", """{"source":"successor","destination":"successor-copy"}""", ApiScope.Admin, HttpStatusCode.OK),
        ("DELETE", "/api/delete", """{"model":"no-such-model"}""", ApiScope.Admin, HttpStatusCode.NotFound),
        ("HEAD", "/api/blobs/" + ZeroDigest, null, ApiScope.Admin, HttpStatusCode.NotFound),
        ("POST", "/api/blobs/" + ZeroDigest, "x", ApiScope.Admin, HttpStatusCode.BadRequest),
        ("POST", "/api/create", "{}", ApiScope.Admin, HttpStatusCode.BadRequest),
        ("POST", "/api/pull", """{"model":"http://127.0.0.1:1/x"}""", ApiScope.Admin, HttpStatusCode.BadRequest),
        ("POST", "/api/push", """{"model":"http://127.0.0.1:1/x"}""", ApiScope.Admin, HttpStatusCode.BadRequest),
    ];

    private static readonly (string Key, ApiScope Scope)[] Keys =
    [
        (ApiKeyServerFixture.ReadKey, ApiScope.Read),
        (ApiKeyServerFixture.InferKey, ApiScope.Infer),
        (ApiKeyServerFixture.HashedInferKey, ApiScope.Infer),
        (ApiKeyServerFixture.AdminKey, ApiScope.Admin),
    ];

    public static TheoryData<int, int> RoutesAndKeys()
    {
        var data = new TheoryData<int, int>();
        for (var r = 0; r < Routes.Length; r++)
        {
            for (var k = 0; k < Keys.Length; k++)
            {
                data.Add(r, k);
            }
        }

        return data;
    }

    public static TheoryData<int> RouteIndexes()
    {
        var data = new TheoryData<int>();
        for (var r = 0; r < Routes.Length; r++)
        {
            data.Add(r);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoutesAndKeys))]
    public async Task A_key_reaches_exactly_the_routes_its_scope_covers(int route, int key)
    {
        var (method, path, body, scope, allowed) = Routes[route];
        var (secret, keyScope) = Keys[key];
        using var http = fx.Server.CreateClient();
        using var request = Request(method, path, body);
        request.Headers.Authorization = new("Bearer", secret);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var expected = keyScope >= scope ? allowed : HttpStatusCode.Forbidden;
        Assert.True(expected == response.StatusCode, $"{method} {path} with a {keyScope} key: {(int)response.StatusCode} {text}");
        if (expected == HttpStatusCode.Forbidden && method != "HEAD")
        {
            Assert.Contains(scope.ToString().ToLowerInvariant(), ErrorMessage(path, text), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RouteIndexes))]
    public async Task Every_route_but_the_banner_needs_a_key(int route)
    {
        var (method, path, body, _, _) = Routes[route];
        using var http = fx.Server.CreateClient();

        using (var response = await http.SendAsync(Request(method, path, body)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }

        using var wrong = Request(method, path, body);
        wrong.Headers.Authorization = new("Bearer", ApiKeyServerFixture.AdminKey + "x");
        using (var response = await http.SendAsync(wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_banner_and_preflights_stay_open()
    {
        using var http = fx.Server.CreateClient();
        using (var get = await http.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal("Ollama is running", await get.Content.ReadAsStringAsync());
        }

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/chat");
        preflight.Headers.Add("Origin", "http://localhost");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        using var answer = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Contains("Authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task X_api_key_is_accepted_like_a_bearer_token()
    {
        using var http = fx.Server.CreateClient();
        using var good = Request("GET", "/api/tags", null);
        good.Headers.Add("x-api-key", ApiKeyServerFixture.ReadKey);
        using (var response = await http.SendAsync(good))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var bad = Request("GET", "/api/tags", null);
        bad.Headers.Add("x-api-key", "not-a-key");
        using (var response = await http.SendAsync(bad))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var lower = Request("GET", "/api/tags", null);
        lower.Headers.TryAddWithoutValidation("Authorization", "bearer " + ApiKeyServerFixture.ReadKey);
        using (var response = await http.SendAsync(lower))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Native_errors_are_ollama_shaped()
    {
        using var http = fx.Server.CreateClient();
        using var unauthorized = Request("POST", "/api/generate", """{"model":"successor","prompt":"hi"}""");
        unauthorized.Headers.Authorization = new("Bearer", "leaked-looking-secret-1234");
        using (var response = await http.SendAsync(unauthorized))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var property = Assert.Single(doc.RootElement.EnumerateObject());
            Assert.Equal("error", property.Name);
            Assert.Contains("invalid API key", property.Value.GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("leaked-looking-secret", property.Value.GetString(), StringComparison.Ordinal);
        }

        using var forbidden = Request("POST", "/api/generate", """{"model":"successor","prompt":"hi"}""");
        forbidden.Headers.Authorization = new("Bearer", ApiKeyServerFixture.ReadKey);
        using (var response = await http.SendAsync(forbidden))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Empty(response.Headers.WwwAuthenticate);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("error", Assert.Single(doc.RootElement.EnumerateObject()).Name);
        }

        await Task.Delay(300); // let the server's log lines arrive
        Assert.DoesNotContain("leaked-looking-secret", fx.Server.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeyServerFixture.ReadKey, fx.Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_errors_are_openai_shaped()
    {
        using var http = fx.Server.CreateClient();
        using (var response = await http.PostAsync("/v1/chat/completions", Json("""{"model":"successor-chat","messages":[]}""")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = OpenAIError(await response.Content.ReadAsStringAsync());
            Assert.Equal("authentication_error", error.GetProperty("type").GetString());
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }

        using var forbidden = Request("POST", "/v1/embeddings", """{"model":"successor","input":"hi"}""");
        forbidden.Headers.Authorization = new("Bearer", ApiKeyServerFixture.ReadKey);
        using (var response = await http.SendAsync(forbidden))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = OpenAIError(await response.Content.ReadAsStringAsync());
            Assert.Equal("permission_error", error.GetProperty("type").GetString());
            Assert.Contains("'infer'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    private static JsonElement OpenAIError(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal("error", Assert.Single(root.EnumerateObject()).Name);
        return root.GetProperty("error").Clone();
    }

    private static string ErrorMessage(string path, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error");
        return path.StartsWith("/v1/", StringComparison.Ordinal) ? error.GetProperty("message").GetString()! : error.GetString()!;
    }

    private static HttpRequestMessage Request(string method, string path, string? body) =>
        new(new HttpMethod(method), path) { Content = body is null ? null : Json(body) };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
