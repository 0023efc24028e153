using System.Security.Cryptography;
using System.Text;
using Corral.Server.Security;

namespace Corral.Server.Tests.Security;

public sealed class ApiKeyStoreTests
{
    [Fact]
    public void Parses_scopes_comments_and_hashed_keys()
    {
        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hidden-key")));
        var store = ApiKeyStore.Parse(
        [
            "# team keys",
            "",
            "reader-key read   # dashboards",
            "  infer-key\tinfer",
            "admin-key",
            "with#hash admin",
            $"sha256:{hashed} infer",
        ]);

        Assert.Equal(5, store.Count);
        Assert.Equal(ApiScope.Read, store.Authenticate("reader-key"));
        Assert.Equal(ApiScope.Infer, store.Authenticate("infer-key"));
        Assert.Equal(ApiScope.Admin, store.Authenticate("admin-key"));
        Assert.Equal(ApiScope.Admin, store.Authenticate("with#hash"));
        Assert.Equal(ApiScope.Infer, store.Authenticate("hidden-key"));
        Assert.Null(store.Authenticate($"sha256:{hashed}")); // the hash itself is not a key
        Assert.Null(store.Authenticate("reader-ke"));
        Assert.Null(store.Authenticate("READER-KEY"));
        Assert.Null(store.Authenticate(string.Empty));
    }

    [Fact]
    public void The_widest_scope_wins_when_a_key_is_listed_twice()
    {
        var store = ApiKeyStore.Parse(["k read", "k infer"]);
        Assert.Equal(ApiScope.Infer, store.Authenticate("k"));
    }

    [Fact]
    public void Hashed_line_round_trips()
    {
        var store = ApiKeyStore.Parse([ApiKeyStore.HashedLine("s3cret", ApiScope.Read)]);
        Assert.Equal(ApiScope.Read, store.Authenticate("s3cret"));
    }

    [Theory]
    [InlineData("key superuser")]
    [InlineData("key read extra")]
    [InlineData("sha256:abc read")]
    [InlineData("sha256:zz00000000000000000000000000000000000000000000000000000000000000")]
    public void Rejects_malformed_lines_with_their_line_number(string line)
    {
        var ex = Assert.Throws<FormatException>(() => ApiKeyStore.Parse(["ok-key", line], "keys.txt"));
        Assert.StartsWith("keys.txt:2:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_table_defaults_unknown_routes_to_admin()
    {
        Assert.Equal(ApiScope.Read, RouteScopes.Required("/api/tags"));
        Assert.Equal(ApiScope.Infer, RouteScopes.Required("/v1/chat/completions"));
        Assert.Equal(ApiScope.Admin, RouteScopes.Required("/api/blobs/{**digest}"));
        Assert.Equal(ApiScope.Admin, RouteScopes.Required("/api/some-future-route"));
        Assert.Equal(ApiScope.Read, RouteScopes.Required(null));
    }

    [Theory]
    [InlineData("GET", "/", true)]
    [InlineData("HEAD", "/", true)]
    [InlineData("GET", "/ui", true)]
    [InlineData("GET", "/ui/", true)]
    [InlineData("GET", "/ui/vendor/marked.esm.js", true)]
    [InlineData("HEAD", "/ui/app.js", true)]
    [InlineData("POST", "/ui", false)]
    [InlineData("GET", "/uix", false)]
    [InlineData("GET", "/api/ui", false)]
    [InlineData("GET", "/api/tags", false)]
    public void Only_the_banner_and_the_chat_page_files_are_open(string method, string path, bool open) =>
        Assert.Equal(open, RouteScopes.IsOpen(method, new Microsoft.AspNetCore.Http.PathString(path)));
}
