namespace Corral.Templates.GoTemplates;

/// <summary>A Go slice as templates see it: indexable and rangeable.</summary>
public interface ITemplateList
{
    int Count { get; }

    TemplateValue this[int index] { get; }
}
