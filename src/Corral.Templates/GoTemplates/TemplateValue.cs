using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Corral.Templates.GoTemplates;

/// <summary>
/// A dynamically typed template value without boxing for scalars: what a Go reflect.Value is to text/template.
/// </summary>
public readonly struct TemplateValue : IEquatable<TemplateValue>
{
    private readonly object? _ref;
    private readonly long _bits;

    private TemplateValue(TemplateKind kind, object? reference, long bits)
    {
        Kind = kind;
        _ref = reference;
        _bits = bits;
    }

    public static readonly TemplateValue Nil;
    public static readonly TemplateValue True = new(TemplateKind.Bool, null, 1);
    public static readonly TemplateValue False = new(TemplateKind.Bool, null, 0);
    public static readonly TemplateValue EmptyString = new(TemplateKind.String, "", 0);

    public TemplateKind Kind { get; }

    public bool IsNil => Kind == TemplateKind.Nil;

    public bool AsBool => _bits != 0;

    public long AsInt => _bits;

    public double AsFloat => BitConverter.Int64BitsToDouble(_bits);

    public string AsString => (string)_ref!;

    public ITemplateList AsList => (ITemplateList)_ref!;

    public ITemplateMap AsMap => (ITemplateMap)_ref!;

    public ITemplateObject AsObject => (ITemplateObject)_ref!;

    /// <summary>The referenced list, map or object (null for scalars).</summary>
    public object? Reference => Kind is TemplateKind.String ? null : _ref;

    public static TemplateValue FromBool(bool value) => value ? True : False;

    public static TemplateValue FromInt(long value) => new(TemplateKind.Int, null, value);

    public static TemplateValue FromFloat(double value) => new(TemplateKind.Float, null, BitConverter.DoubleToInt64Bits(value));

    public static TemplateValue FromString(string? value) =>
        value is null ? Nil : value.Length == 0 ? EmptyString : new(TemplateKind.String, value, 0);

    public static TemplateValue FromList(ITemplateList? list) => list is null ? Nil : new(TemplateKind.List, list, 0);

    public static TemplateValue FromMap(ITemplateMap? map) => map is null ? Nil : new(TemplateKind.Map, map, 0);

    public static TemplateValue FromObject(ITemplateObject? obj) => obj is null ? Nil : new(TemplateKind.Object, obj, 0);

    public static implicit operator TemplateValue(string? value) => FromString(value);

    public static implicit operator TemplateValue(bool value) => FromBool(value);

    public static implicit operator TemplateValue(long value) => FromInt(value);

    public static implicit operator TemplateValue(int value) => FromInt(value);

    public static implicit operator TemplateValue(double value) => FromFloat(value);

    /// <summary>
    /// Converts decoded JSON the way Go decodes into <c>any</c>: objects become maps, numbers float64.
    /// </summary>
    public static TemplateValue FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return FromString(element.GetString());
            case JsonValueKind.Number:
                return FromFloat(element.GetDouble());
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.Array:
                var items = new List<TemplateValue>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(FromJson(item));
                }
                return FromList(new TemplateList(items));
            case JsonValueKind.Object:
                var map = new TemplateMap();
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = FromJson(property.Value);
                }
                return FromMap(map);
            default:
                return Nil;
        }
    }

    /// <summary>Go's truth: false, 0, "", empty slices and maps and nil are false; structs are true.</summary>
    public bool IsTrue => Kind switch
    {
        TemplateKind.Nil => false,
        TemplateKind.Bool or TemplateKind.Int => _bits != 0,
        TemplateKind.Float => AsFloat != 0,
        TemplateKind.String => AsString.Length > 0,
        TemplateKind.List => AsList.Count > 0,
        TemplateKind.Map => AsMap.Count > 0,
        _ => true,
    };

    /// <summary>Go type name for error messages.</summary>
    public string GoTypeName => Kind switch
    {
        TemplateKind.Nil => "<nil>",
        TemplateKind.Bool => "bool",
        TemplateKind.Int => "int",
        TemplateKind.Float => "float64",
        TemplateKind.String => "string",
        TemplateKind.List => "[]interface {}",
        TemplateKind.Map => "map[string]interface {}",
        _ => AsObject.TypeName,
    };

    public bool Equals(TemplateValue other) =>
        Kind == other.Kind && _bits == other._bits &&
        (Kind == TemplateKind.String ? string.Equals((string?)_ref, (string?)other._ref, StringComparison.Ordinal) : ReferenceEquals(_ref, other._ref));

    public override bool Equals(object? obj) => obj is TemplateValue other && Equals(other);

    public override int GetHashCode() => Kind == TemplateKind.String
        ? StringComparer.Ordinal.GetHashCode(AsString)
        : HashCode.Combine(Kind, _bits, _ref is null ? 0 : RuntimeHelpers.GetHashCode(_ref));

    public static bool operator ==(TemplateValue left, TemplateValue right) => left.Equals(right);

    public static bool operator !=(TemplateValue left, TemplateValue right) => !left.Equals(right);

    /// <summary>What text/template prints for this value (fmt's %v; nil prints "&lt;no value&gt;").</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        GoFormat.AppendValue(sb, this, topLevel: true);
        return sb.ToString();
    }
}
