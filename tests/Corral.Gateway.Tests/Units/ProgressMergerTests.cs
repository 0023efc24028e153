using System.Text;
using System.Text.Json;
using Corral.Gateway.Management;

namespace Corral.Gateway.Tests.Units;

/// <summary>Several backends' pull progress folded into one stream.</summary>
public sealed class ProgressMergerTests
{
    private static JsonElement Line(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string? Text(byte[]? line) => line is null ? null : Encoding.UTF8.GetString(line).TrimEnd('\n');

    [Fact]
    public void Byte_progress_of_a_layer_is_summed_and_plain_statuses_pass_once()
    {
        var merger = new ProgressMerger();
        Assert.Equal("""{"status":"pulling manifest"}""", Text(merger.Add("a", Line("""{"status":"pulling manifest"}"""))));
        Assert.Null(merger.Add("b", Line("""{"status":"pulling manifest"}""")));
        Assert.Equal("""{"status":"pulling 123","digest":"sha256:123","total":100,"completed":10}""", Text(merger.Add("a", Line("""{"status":"pulling 123","digest":"sha256:123","total":100,"completed":10}"""))));
        Assert.Equal("""{"status":"pulling 123","digest":"sha256:123","total":200,"completed":40}""", Text(merger.Add("b", Line("""{"status":"pulling 123","digest":"sha256:123","total":100,"completed":30}"""))));
        Assert.Null(merger.Add("a", Line("""{"status":"success"}""")));
        Assert.Null(merger.Add("b", Line("""{"status":"success"}""")));
        Assert.Equal("""{"status":"success"}""", Text(merger.Final(2)));
    }

    [Fact]
    public void One_failure_makes_the_end_an_error_naming_the_backend()
    {
        var merger = new ProgressMerger();
        Assert.Null(merger.Add("a", Line("""{"status":"success"}""")));
        Assert.Null(merger.Add("b", Line("""{"error":"pull model manifest: file does not exist"}""")));
        Assert.True(merger.HasFailed("b"));
        Assert.False(merger.HasFailed("a"));
        Assert.Equal("""{"error":"b: pull model manifest: file does not exist"}""", Text(merger.Final(2)));
    }

    [Fact]
    public void A_backend_that_ends_without_success_is_not_a_success()
    {
        var merger = new ProgressMerger();
        Assert.Null(merger.Add("a", Line("""{"status":"success"}""")));
        Assert.Contains("error", Text(merger.Final(2)));
    }
}
