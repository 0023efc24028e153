namespace Corral.Templates.Jinja;

/// <summary>A chat template could not be parsed or failed while rendering (a template bug, not a request bug).</summary>
public class JinjaException : Exception
{
    public JinjaException(string message) : base(message)
    {
    }

    public JinjaException(string message, Exception inner) : base(message, inner)
    {
    }
}
