using System.Runtime.CompilerServices;

namespace Corral.Templates.Jinja;

/// <summary>
/// Called where the parser or the renderer recurses on something a template controls (nested brackets, long operator
/// or filter chains, nested blocks, macro recursion, nested lists it builds). A GGUF's chat template is untrusted
/// input: one that nests a few thousand levels would overflow the stack, which kills the process and cannot be
/// caught, so it fails as a template error instead.
/// </summary>
internal static class StackGuard
{
    public static void Ensure()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new JinjaException("template nested too deeply");
        }
    }
}
