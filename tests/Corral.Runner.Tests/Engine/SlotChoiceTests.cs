using Corral.Runner.Engine.Slots;

namespace Corral.Runner.Tests.Engine;

/// <summary>
/// Which free slot a request takes (<see cref="SlotChoice"/>): the busy sequences stay consecutive, because llama.cpp
/// computes a batch over non-consecutive sequences as several graphs.
/// </summary>
public sealed class SlotChoiceTests
{
    [Fact]
    public void With_nothing_busy_the_longest_prefix_wins_then_the_least_recently_used()
    {
        Assert.Equal(2, SlotChoice.Pick(busy: [false, false, false, false], prefix: [1, 1, 40, 0], lastUsed: [1, 2, 3, 0]));
        Assert.Equal(1, SlotChoice.Pick(busy: [false, false, false, false], prefix: [1, 1, 0, 0], lastUsed: [5, 2, 0, 0]));
    }

    [Fact]
    public void A_request_extends_the_busy_run_rather_than_take_a_slot_with_a_longer_prefix_elsewhere()
    {
        // Slot 6 holds 500 tokens of this prompt, but taking it would split every step into two graphs; the prefix is
        // copied into slot 3 instead.
        Assert.Equal(3, SlotChoice.Pick(
            busy: [true, true, true, false, false, false, false, false],
            prefix: [0, 0, 0, 1, 1, 1, 500, 1],
            lastUsed: [9, 9, 9, 8, 1, 1, 1, 1]));
    }

    [Fact]
    public void A_gap_between_busy_slots_is_filled_first()
    {
        Assert.Equal(2, SlotChoice.Pick(
            busy: [true, true, false, true, false, false],
            prefix: [0, 0, 0, 0, 300, 0],
            lastUsed: [0, 0, 9, 0, 1, 0]));
    }

    [Fact]
    public void Between_the_two_ends_of_a_run_the_prefix_decides()
    {
        Assert.Equal(5, SlotChoice.Pick(
            busy: [false, false, true, true, true, false, false],
            prefix: [0, 1, 0, 0, 0, 12, 0],
            lastUsed: [0, 1, 0, 0, 0, 2, 0]));
    }

    [Fact]
    public void Slots_taken_one_after_another_stay_consecutive_whatever_finishes()
    {
        // A small simulation: 4 clients over 8 slots, each request lasting a different number of rounds; after every
        // admission the busy slots must be one run.
        const int slots = 8;
        var busy = new bool[slots];
        var left = new int[slots];
        var lastUsed = new long[slots];
        var clock = 0L;
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            for (var i = 0; i < slots; i++)
            {
                if (busy[i] && --left[i] == 0)
                {
                    busy[i] = false;
                    lastUsed[i] = ++clock;
                }
            }

            while (busy.Count(b => b) < 4)
            {
                var chosen = SlotChoice.Pick(busy, prefix: new int[slots], lastUsed);
                busy[chosen] = true;
                left[chosen] = random.Next(1, 12);
                lastUsed[chosen] = ++clock;
                Assert.True(Runs(busy) <= 2, $"round {round}: busy {string.Join(',', busy.Select(b => b ? 1 : 0))}");
            }
        }

        static int Runs(bool[] busy) => Enumerable.Range(0, busy.Length).Count(i => busy[i] && (i == 0 || !busy[i - 1]));
    }

    [Fact]
    public void All_busy_gives_none()
    {
        Assert.Equal(-1, SlotChoice.Pick(busy: [true, true], prefix: [0, 0], lastUsed: [0, 0]));
    }
}
