using System.Text.Json;
using Corral.Llama.Grammar;

namespace Corral.Fuzz.Targets;

/// <summary>
/// A request's <c>format</c> (or OpenAI's <c>response_format</c>) schema turned into a GBNF grammar. Text that is
/// not JSON and schemas the converter cannot enforce are the client's fault (400s); anything else is a finding.
/// </summary>
public sealed class JsonSchemaTarget : IFuzzTarget
{
    public string Name => "jsonschema";

    public void Run(ReadOnlySpan<byte> data)
    {
        try
        {
            _ = JsonSchemaGrammar.Convert(FuzzText.Decode(data));
        }
        catch (JsonException)
        {
        }
        catch (JsonSchemaNotSupportedException)
        {
        }
    }
}
