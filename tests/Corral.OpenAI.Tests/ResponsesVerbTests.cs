using System.Diagnostics;
using Corral.Testing;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in this SDK version

namespace Corral.OpenAI.Tests;

/// <summary><c>corral responses ls</c> and <c>rm</c> on the database of a server that is running.</summary>
public sealed class ResponsesVerbTests(StoredResponsesFixture fx) : IClassFixture<StoredResponsesFixture>
{
    [Fact]
    public async Task Ls_lists_and_rm_deletes_stored_items_while_the_server_runs()
    {
        var response = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 2 })).Value;
        using var http = fx.Server.CreateClient();
        using var created = await http.PostAsync("/v1/conversations", new StringContent("""{"items":[{"role":"user","content":"hello"}]}""", System.Text.Encoding.UTF8, "application/json"));
        var conversation = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        var (code, output, _) = await CorralAsync("responses", "ls");
        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith(response.Id, StringComparison.Ordinal));
        Assert.Contains("successor-chat", line);
        Assert.Contains("incomplete", line);

        (code, output, _) = await CorralAsync("responses", "ls", "--conversations");
        Assert.Equal(0, code);
        Assert.Contains(output.Split('\n'), l => l.StartsWith(conversation, StringComparison.Ordinal) && l.Split('\t')[1].Trim() == "1");

        (code, output, _) = await CorralAsync("responses", "rm", response.Id, conversation);
        Assert.Equal(0, code);
        Assert.Contains($"deleted '{response.Id}'", output);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/v1/responses/{response.Id}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/v1/conversations/{conversation}")).StatusCode);

        var (missingCode, _, error) = await CorralAsync("responses", "rm", response.Id);
        Assert.Equal(1, missingCode);
        Assert.Contains("not found", error);

        // The server goes on storing after the CLI wrote to its file.
        var after = (await fx.Client().CreateResponseAsync(new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 2 })).Value;
        Assert.Equal(after.Id, (await fx.Client().GetResponseAsync(after.Id)).Value.Id);
    }

    private async Task<(int Code, string Output, string Error)> CorralAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["OLLAMA_MODELS"] = fx.ModelsPath;
        info.Environment.Remove("CORRAL_RESPONSES_DB");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
