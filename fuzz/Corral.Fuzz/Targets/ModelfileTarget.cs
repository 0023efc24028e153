using Corral.Models.Modelfiles;

namespace Corral.Fuzz.Targets;

/// <summary>
/// <see cref="Modelfile.Parse"/> (a /api/create body or a file for <c>corral create</c>), the params layer it makes,
/// and its printed form. The print is not parsed back: Modelfile quoting has no escapes, so some parsed values
/// (a line inside a quote ending in <c>"""</c>) cannot be printed to parse back, as with Ollama's own printer.
/// </summary>
public sealed class ModelfileTarget : IFuzzTarget
{
    public string Name => "modelfile";

    public void Run(ReadOnlySpan<byte> data)
    {
        try
        {
            var parsed = Modelfile.Parse(FuzzText.Decode(data));
            _ = parsed.ParamsJson();
            _ = parsed.ToString();
        }
        catch (ModelfileParseException)
        {
        }
    }
}
