using Corral.Runner.Engine.Batching;

namespace Corral.Runner.Tests.Engine;

/// <summary>How a step's batch is shared between prompts being evaluated (<see cref="PrefillPlan"/>).</summary>
public sealed class PrefillPlanTests
{
    [Fact]
    public void Order_is_shortest_remaining_first_then_oldest()
    {
        Span<int> order = [0, 1, 2, 3];
        PrefillPlan.Order(order, remaining: [300, 40, 40, 10], started: [1, 5, 3, 9]);
        Assert.Equal([3, 2, 1, 0], order.ToArray());
    }

    [Fact]
    public void Prompts_arriving_together_complete_one_per_batch()
    {
        // Eight 64-token prompts, 512 tokens of room, chunks of 64: each step finishes exactly one prompt.
        var remaining = Enumerable.Repeat(64, 8).ToArray();
        var steps = 0;
        var finishedAt = new int[8];
        while (remaining.Any(r => r > 0))
        {
            steps++;
            var live = Enumerable.Range(0, 8).Where(i => remaining[i] > 0).ToArray();
            var order = live.ToArray();
            PrefillPlan.Order(order, remaining, new long[8] { 0, 1, 2, 3, 4, 5, 6, 7 });
            PrefillPlan.Fill(live[0], order, room: 512, chunk: 64, Feed);
        }

        Assert.Equal(8, steps);
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], finishedAt);

        (int, bool) Feed(int i, int limit)
        {
            var take = Math.Min(limit, remaining[i]);
            remaining[i] -= take;
            if (remaining[i] == 0 && take > 0)
            {
                finishedAt[i] = steps;
            }

            return (take, remaining[i] == 0);
        }
    }

    [Fact]
    public void Short_prompts_share_a_batch_up_to_the_chunk()
    {
        var remaining = new[] { 10, 10, 10, 10, 10, 10, 10, 10 };
        var fed = new int[8];
        var order = Enumerable.Range(0, 8).ToArray();
        var added = PrefillPlan.Fill(0, order, room: 512, chunk: 64, (i, limit) =>
        {
            var take = Math.Min(limit, remaining[i]);
            remaining[i] -= take;
            fed[i] += take;
            return (take, remaining[i] == 0);
        });

        Assert.Equal(64, added); // six whole prompts and part of a seventh, not all eighty tokens
        Assert.Equal([10, 10, 10, 10, 10, 10, 4, 0], fed);
    }

    [Fact]
    public void A_prompt_alone_gets_the_whole_room_and_the_oldest_is_never_starved()
    {
        var alone = PrefillPlan.Fill(0, [0], room: 512, chunk: 64, (_, limit) => (limit, false));
        Assert.Equal(512, alone);

        // A 2000-token prompt (the oldest) and a stream of short ones: it still advances by a chunk every step.
        var fedLong = 0;
        PrefillPlan.Fill(0, [1, 0], room: 512, chunk: 64, (i, limit) =>
        {
            if (i == 0)
            {
                fedLong += limit;
                return (limit, false);
            }

            return (Math.Min(limit, 20), true);
        });
        Assert.Equal(64, fedLong);
    }

    [Fact]
    public void No_room_means_nothing_is_fed()
    {
        var limits = new List<int>();
        var added = PrefillPlan.Fill(0, [0, 1], room: 0, chunk: 64, (_, limit) =>
        {
            limits.Add(limit);
            return (limit, false);
        });
        Assert.Equal(0, added);
        Assert.Equal([0], limits); // only the oldest is asked, for nothing
    }
}
