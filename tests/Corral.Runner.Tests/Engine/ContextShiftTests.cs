using Corral.Llama;
using Corral.Runner.Engine.Batching;

namespace Corral.Runner.Tests.Engine;

/// <summary>Where a full slot's shift cuts: half after num_keep, never through an image (runs of negative pseudo tokens).</summary>
public sealed class ContextShiftTests
{
    [Fact]
    public void Text_only_drops_half_of_what_follows_num_keep()
    {
        var cached = Text(64);
        Assert.Equal((4, 30), ContextShift.Plan(cached, 4));
        Assert.Equal((0, 32), ContextShift.Plan(cached, 0));
        Assert.Equal((62, 1), ContextShift.Plan(cached, 100)); // num_keep beyond the cache still drops one
    }

    [Fact]
    public void An_image_across_the_end_of_the_dropped_range_is_dropped_whole()
    {
        var cached = Layout(64, (28, 16)); // image 28..44
        var (start, count) = ContextShift.Plan(cached, 4); // natural end 4 + 30 = 34, inside the image
        Assert.Equal(4, start);
        Assert.Equal(44, start + count);
        AssertOnBoundaries(cached, start, count);
    }

    [Fact]
    public void An_image_across_num_keep_is_kept_whole()
    {
        var cached = Layout(64, (2, 16)); // image 2..18, num_keep 8 falls inside it
        var (start, count) = ContextShift.Plan(cached, 8);
        Assert.Equal(18, start);
        Assert.Equal(18 + ((64 - 18) / 2), start + count);
        AssertOnBoundaries(cached, start, count);
    }

    [Fact]
    public void An_image_filling_everything_after_num_keep_goes_rather_than_nothing()
    {
        var cached = Layout(20, (2, 17)); // image 2..19, one text token after it
        var (start, count) = ContextShift.Plan(cached, 8);
        Assert.Equal(2, start);
        Assert.Equal(19, start + count);
        AssertOnBoundaries(cached, start, count);
    }

    [Fact]
    public void Adjacent_images_move_together_and_the_cut_never_lands_inside_either()
    {
        var cached = Layout(64, (10, 16), (26, 16)); // images 10..26 and 26..42
        for (var keep = 0; keep < 62; keep++)
        {
            var (start, count) = ContextShift.Plan(cached, keep);
            Assert.True(count >= 1);
            Assert.True(start + count < cached.Count, $"num_keep {keep}: the last position must survive");
            AssertOnBoundaries(cached, start, count);
        }
    }

    [Fact]
    public void Every_num_keep_with_images_anywhere_cuts_on_boundaries()
    {
        var cached = Layout(96, (1, 16), (20, 16), (40, 16), (70, 16));
        for (var keep = 0; keep < 95; keep++)
        {
            var (start, count) = ContextShift.Plan(cached, keep);
            AssertOnBoundaries(cached, start, count);
        }
    }

    private static void AssertOnBoundaries(List<LlamaToken> cached, int start, int count)
    {
        Assert.False(ContextShift.InsideImage(cached, start), $"cut starts inside an image at {start}");
        Assert.False(ContextShift.InsideImage(cached, start + count), $"cut ends inside an image at {start + count}");
    }

    private static List<LlamaToken> Text(int length) => Enumerable.Range(0, length).Select(i => new LlamaToken(i % 50)).ToList();

    private static List<LlamaToken> Layout(int length, params (int Start, int Length)[] images)
    {
        var cached = Text(length);
        foreach (var (start, count) in images)
        {
            for (var i = start; i < start + count; i++)
            {
                cached[i] = new LlamaToken(-1 - i);
            }
        }

        return cached;
    }
}
