namespace Corral.Templates.GoTemplates;

/// <summary>
/// A function callable from templates (a FuncMap entry). Throw <see cref="TemplateFunctionException"/> to report
/// an error; the evaluator wraps it as Go does ("error calling NAME: ...").
/// </summary>
public delegate TemplateValue TemplateFunction(ReadOnlySpan<TemplateValue> args);
