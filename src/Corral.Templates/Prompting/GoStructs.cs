using Corral.Templates.GoTemplates;

namespace Corral.Templates.Prompting;

/// <summary>Helpers that print data-model objects the way Go prints its structs and slices.</summary>
internal static class GoStructs
{
    public static void FormatFields(StringBuilder sb, bool pointer, params TemplateValue[] fields)
    {
        sb.Append(pointer ? "&{" : "{");
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append(fields[i].Kind == TemplateKind.Nil ? "<nil>" : Print(fields[i]));
        }
        sb.Append('}');
    }

    public static string Print(TemplateValue value)
    {
        var text = value.ToString();
        return value.IsNil ? "<nil>" : text;
    }

    public static TemplateValue Strings(IReadOnlyList<string>? items)
    {
        if (items is null)
        {
            return TemplateValue.Nil;
        }
        var values = new TemplateValue[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = items[i];
        }
        return TemplateValue.FromList(new TemplateList(values));
    }

    public static string Json(TemplateValue value) => GoJsonWriter.Serialize(value);
}
