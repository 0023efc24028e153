using Corral.Gateway.Configuration;
using Corral.Testing;

namespace Corral.Gateway.Tests.Units;

/// <summary>Backends from CORRAL_GATEWAY_BACKENDS and a config file; where the gateway listens.</summary>
public sealed class GatewaySettingsTests
{
    [Fact]
    public void Backends_are_named_urls_or_bare_addresses_from_the_variable_and_the_file()
    {
        var folder = TempFolders.Create("corral-gw-config-");
        var file = Path.Combine(folder, "gateway.json");
        File.WriteAllText(file, """{"listen": "0.0.0.0:8080", "backends": [{"name": "big", "url": "http://10.0.0.9:11434"}], "refresh_interval_ms": 500}""");
        var variables = new Dictionary<string, string>
        {
            ["CORRAL_GATEWAY_CONFIG"] = file,
            ["CORRAL_GATEWAY_BACKENDS"] = "a=http://10.0.0.5:11434, 10.0.0.6 ,b=https://gpu.example:443",
        };

        var settings = GatewaySettings.FromVariables(k => variables.GetValueOrDefault(k));

        Assert.Equal(["big", "a", "10.0.0.6:11434", "b"], settings.Backends.Select(b => b.Name));
        Assert.Equal(new Uri("http://10.0.0.6:11434/"), settings.Backends[2].BaseAddress);
        Assert.Equal(new Uri("https://gpu.example/"), settings.Backends[3].BaseAddress);
        Assert.Equal(8080, settings.Host.Port);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.RefreshInterval);
    }

    [Fact]
    public void The_gateway_listens_on_its_own_setting_else_on_OLLAMA_HOST()
    {
        Assert.Equal(9000, GatewaySettings.FromVariables(k => k switch { "OLLAMA_HOST" => "127.0.0.1:9000", _ => null }).Host.Port);
        Assert.Equal(9001, GatewaySettings.FromVariables(k => k switch { "OLLAMA_HOST" => "127.0.0.1:9000", "CORRAL_GATEWAY_HOST" => ":9001", _ => null }).Host.Port);
    }

    [Theory]
    [InlineData("a=http://x:1,a=http://y:2", "used twice")]
    [InlineData("ftp://x", "not an http(s) URL")]
    [InlineData("bad name=http://x:1", "may not contain")]
    public void Bad_backends_are_refused_with_the_reason(string backends, string reason)
    {
        var error = Assert.Throws<FormatException>(() => GatewaySettings.FromVariables(k => k == "CORRAL_GATEWAY_BACKENDS" ? backends : null));
        Assert.Contains(reason, error.Message);
    }
}
