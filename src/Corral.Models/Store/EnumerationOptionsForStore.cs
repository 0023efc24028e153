namespace Corral.Models.Store;

/// <summary>Directory listing options: see dot-files too (Unix marks them hidden), skip unreadable entries.</summary>
internal static class EnumerationOptionsForStore
{
    public static readonly EnumerationOptions Flat = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        MatchType = MatchType.Simple,
    };

    public static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        MatchType = MatchType.Simple,
    };
}
