namespace Corral.Server.Tests.Gpu;

/// <summary>A test that needs a Vulkan device (lavapipe): skipped, with the reason, where there is none.</summary>
public sealed class LavapipeFactAttribute : FactAttribute
{
    public LavapipeFactAttribute()
    {
        if (Lavapipe.SkipReason is { } why)
        {
            Skip = why;
        }
    }
}
