using System.Diagnostics;
using Corral.Fuzz.Targets;

namespace Corral.Fuzz.Tests;

/// <summary>
/// Replays the saved fuzz corpus (<c>fuzz/corpus/&lt;target&gt;/</c>: seeds, afl's minimized queue, and every input
/// that once crashed) through each target in-process: no input may throw anything but the parser's documented
/// errors, or take longer than <see cref="PerInputLimit"/> (a hang). Seconds, not a fuzz run: CI runs this.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(2);

    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_saved_input_gets_a_clean_answer(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var files = Directory.GetFiles(CorpusFolder(name)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);

        var problems = new List<string>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var clock = Stopwatch.StartNew();
            try
            {
                target.Run(bytes);
            }
            catch (Exception e)
            {
                problems.Add($"{Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}");
                continue;
            }

            if (clock.Elapsed > PerInputLimit)
            {
                problems.Add($"{Path.GetFileName(file)}: took {clock.Elapsed.TotalSeconds:F1} s (limit {PerInputLimit.TotalSeconds} s)");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} of {files.Count} inputs failed:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_target_has_a_corpus_folder_and_every_folder_a_target()
    {
        var folders = Directory.GetDirectories(Path.Combine(RepoRoot(), "fuzz", "corpus")).Select(d => Path.GetFileName(d)!).Order().ToList();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order().ToList(), folders);
    }

    private static string CorpusFolder(string target) => Path.Combine(RepoRoot(), "fuzz", "corpus", target);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Corral.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Corral.slnx) above " + AppContext.BaseDirectory);
    }
}
