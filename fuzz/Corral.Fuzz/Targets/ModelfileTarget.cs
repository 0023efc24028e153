using Corral.Models.Modelfiles;

namespace Corral.Fuzz.Targets;

/// <summary>
/// <see cref="Modelfile.Parse"/> (a /api/create body or a file for <c>corral create</c>), the params layer it makes,
/// and the documented round trip: what <see cref="Modelfile.ToString"/> prints parses back to the same commands.
/// </summary>
public sealed class ModelfileTarget : IFuzzTarget
{
    public string Name => "modelfile";

    public void Run(ReadOnlySpan<byte> data)
    {
        Modelfile parsed;
        try
        {
            parsed = Modelfile.Parse(FuzzText.Decode(data));
            _ = parsed.ParamsJson();
        }
        catch (ModelfileParseException)
        {
            return;
        }

        string printed = parsed.ToString();
        Modelfile again = Modelfile.Parse(printed); // a parse error here is a finding: the printer wrote something unparsable
        if (again.ToString() != printed)
        {
            throw new InvalidOperationException($"Modelfile round trip changed the commands:\n{printed}\n---\n{again}");
        }
    }
}
