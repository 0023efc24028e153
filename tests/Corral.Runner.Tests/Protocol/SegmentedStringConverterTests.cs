using System.Buffers;
using System.Diagnostics.Tracing;
using System.Text.Json;
using Corral.Runner.Protocol;

namespace Corral.Runner.Tests.Protocol;

public sealed class SegmentedStringConverterTests
{
    private const int Segment = SegmentedStringConverter.SegmentLength;

    [Theory]
    [InlineData(Segment - 1)]
    [InlineData(Segment)]
    [InlineData(Segment + 1)]
    [InlineData((3 * Segment) + 7)]
    public void Segments_write_the_same_bytes_as_the_whole_string(int length)
    {
        // Escapes everywhere, and a surrogate pair straddling every segment boundary.
        var text = new char[length];
        for (var i = 0; i < length; i++)
        {
            text[i] = "a<\n\"é\\"[i % 6];
        }

        for (var boundary = Segment; boundary < length; boundary += Segment)
        {
            text[boundary - 1] = '\uD83E';
            text[boundary] = '\uDD99';
        }

        var value = new string(text);
        Assert.Equal(Json(w => w.WriteStringValue(value)), Json(w => SegmentedStringConverter.WriteValue(w, value)));
    }

    [Fact]
    public void A_long_prompt_goes_out_without_renting_an_array_its_size_and_comes_back_whole()
    {
        var prompt = string.Concat(Enumerable.Repeat("<|start_header_id|>user<|end_header_id|>\n\nhello 🦙\n", 30_000));
        var request = new CompletionRequest { Prompt = prompt };
        var tokenize = new TokenizeRequest { Content = prompt };
        var embed = new EmbeddingRequest { Inputs = ["short", prompt] };

        using var rents = new LargeRents(minimumLength: 512 * 1024);
        var completionJson = rents.Watch(() => Json(w => JsonSerializer.Serialize(w, request, RunnerJsonContext.Default.CompletionRequest)));
        var tokenizeJson = rents.Watch(() => Json(w => JsonSerializer.Serialize(w, tokenize, RunnerJsonContext.Default.TokenizeRequest)));
        var embedJson = rents.Watch(() => Json(w => JsonSerializer.Serialize(w, embed, RunnerJsonContext.Default.EmbeddingRequest)));

        Assert.Empty(rents.Sizes);
        Assert.Equal(prompt, JsonSerializer.Deserialize(completionJson, RunnerJsonContext.Default.CompletionRequest)!.Prompt);
        Assert.Equal(prompt, JsonSerializer.Deserialize(tokenizeJson, RunnerJsonContext.Default.TokenizeRequest)!.Content);
        Assert.Equal(["short", prompt], JsonSerializer.Deserialize(embedJson, RunnerJsonContext.Default.EmbeddingRequest)!.Inputs);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The array pools' rents of arrays at least <paramref name="minimumLength"/> long, made on the thread that watches while it watches.</summary>
    private sealed class LargeRents(int minimumLength) : EventListener
    {
        [ThreadStatic]
        private static LargeRents? t_watcher;

        public List<int> Sizes { get; } = [];

        public T Watch<T>(Func<T> action)
        {
            t_watcher = this;
            try
            {
                return action();
            }
            finally
            {
                t_watcher = null;
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Buffers.ArrayPoolEventSource")
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // BufferRented (1) carries the array's length as its second field.
            if (t_watcher == this && eventData.EventId == 1 && eventData.Payload is [_, int size, ..] && size >= minimumLength)
            {
                lock (Sizes)
                {
                    Sizes.Add(size);
                }
            }
        }
    }
}
