namespace Corral.Llama.Tests;

public sealed class BatchTests
{
    [Fact]
    public unsafe void Add_fills_the_native_arrays_and_clear_reuses_them()
    {
        using var batch = new LlamaBatch(capacity: 4, maxSequencesPerToken: 2);
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.Add(new LlamaToken(10), 0, new LlamaSeqId(0), logits: false));
        Assert.Equal(1, batch.Add(new LlamaToken(11), 5, [new LlamaSeqId(1), new LlamaSeqId(2)], logits: true));
        Assert.Equal(2, batch.Count);

        var native = batch.Native;
        Assert.Equal(2, native.n_tokens);
        Assert.Equal(10, native.token[0]);
        Assert.Equal(5, native.pos[1]);
        Assert.Equal(1, native.n_seq_id[0]);
        Assert.Equal(2, native.n_seq_id[1]);
        Assert.Equal(2, native.seq_id[1][1]);
        Assert.Equal(0, native.logits[0]);
        Assert.Equal(1, native.logits[1]);

        batch.SetLogits(0, true);
        Assert.Equal(1, batch.Native.logits[0]);

        batch.Clear();
        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.Add(new LlamaToken(12), 0, new LlamaSeqId(3), logits: true));
        Assert.Equal(12, batch.Native.token[0]);
    }

    [Fact]
    public void A_full_batch_and_too_many_sequences_are_rejected()
    {
        using var batch = new LlamaBatch(capacity: 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add(new LlamaToken(1), 0, [new LlamaSeqId(0), new LlamaSeqId(1)], false));
        batch.Add(new LlamaToken(1), 0, new LlamaSeqId(0), false);
        Assert.Throws<InvalidOperationException>(() => batch.Add(new LlamaToken(2), 1, new LlamaSeqId(0), false));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.SetLogits(1, true));
    }

    [Fact]
    public void A_disposed_batch_is_not_usable()
    {
        var batch = new LlamaBatch(2);
        batch.Dispose();
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Add(new LlamaToken(1), 0, new LlamaSeqId(0), false));
    }
}
