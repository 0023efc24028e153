using System.Text;

namespace Corral.Llama.Grammar;

/// <summary>
/// The rules of a grammar being built, in insertion order. Adding an identical body under the same
/// name hint reuses the existing rule; a different body gets a numbered name.
/// </summary>
internal sealed class GbnfRuleSet
{
    private readonly Dictionary<string, string> _bodies = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>Adds <c>name ::= body</c> (name sanitised and made unique); returns the final name.</summary>
    public string Add(string nameHint, string body)
    {
        var baseName = Gbnf.RuleName(nameHint);
        var name = baseName;
        for (var i = 2; _bodies.TryGetValue(name, out var existing); i++)
        {
            if (existing == body)
            {
                return name;
            }

            name = $"{baseName}-{i}";
        }

        _bodies[name] = body;
        _order.Add(name);
        return name;
    }

    /// <summary>Reserves a unique name whose body is set later with <see cref="Define"/> (recursive rules).</summary>
    public string Reserve(string nameHint)
    {
        var baseName = Gbnf.RuleName(nameHint);
        var name = baseName;
        for (var i = 2; _bodies.ContainsKey(name); i++)
        {
            name = $"{baseName}-{i}";
        }

        _bodies[name] = string.Empty;
        _order.Add(name);
        return name;
    }

    public void Define(string name, string body) => _bodies[name] = body;

    public bool Contains(string name) => _bodies.ContainsKey(name);

    /// <summary>Adds a fixed helper rule once under exactly <paramref name="name"/>.</summary>
    public string Shared(string name, string body)
    {
        if (!_bodies.ContainsKey(name))
        {
            _bodies[name] = body;
            _order.Add(name);
        }

        return name;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var name in _order)
        {
            sb.Append(name).Append(" ::= ").Append(_bodies[name]).Append('\n');
        }

        return sb.ToString();
    }
}
