using Corral.Api.OpenAI;
using Corral.Server.Inference;

namespace Corral.Server.OpenAI;

/// <summary>
/// Turns parsed completion events into OpenAI chat completion chunks: a first chunk per choice with the
/// role, content and reasoning deltas, tool calls in OpenAI's streamed shape (a header delta with index,
/// id, type and name, then the arguments), and a last chunk per choice with the finish reason.
/// </summary>
public sealed class ChatChunkFactory
{
    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private readonly bool _logprobs;
    private readonly int[] _toolCalls;

    public ChatChunkFactory(string id, long created, string model, int choices, bool logprobs)
    {
        _id = id;
        _created = created;
        _model = model;
        _logprobs = logprobs;
        _toolCalls = new int[choices];
    }

    public ChatCompletionChunk RoleChunk(int choice) =>
        Chunk(new ChatChoice { Index = choice, Delta = new ChatMessage { Role = "assistant", Content = string.Empty } });

    /// <summary>Adds the chunks for one event (none for an empty delta) to <paramref name="output"/>.</summary>
    public void Translate(int choice, CompletionEvent e, List<ChatCompletionChunk> output)
    {
        switch (e.Kind)
        {
            case CompletionEventKind.Content:
                var logprobs = _logprobs ? ChatLogprobsOf(e) : null;
                if (e.Text.Length > 0 || logprobs is not null)
                {
                    output.Add(Chunk(new ChatChoice { Index = choice, Delta = new ChatMessage { Content = e.Text }, Logprobs = logprobs }));
                }

                break;
            case CompletionEventKind.Thinking:
                if (e.Text.Length > 0)
                {
                    output.Add(Chunk(new ChatChoice { Index = choice, Delta = new ChatMessage { Reasoning = e.Text, ReasoningContent = e.Text } }));
                }

                break;
            case CompletionEventKind.ToolCall:
                var call = e.ToolCall!;
                var index = _toolCalls[choice]++;
                output.Add(Chunk(new ChatChoice
                {
                    Index = choice,
                    Delta = new ChatMessage
                    {
                        ToolCalls = [new OpenAIToolCall { Index = index, Id = ToolCallIds.NewCallId(), Function = new OpenAIFunctionCall { Name = call.Name, Arguments = string.Empty } }],
                    },
                }));
                output.Add(Chunk(new ChatChoice
                {
                    Index = choice,
                    Delta = new ChatMessage
                    {
                        ToolCalls = [new OpenAIToolCall { Index = index, Type = null, Function = new OpenAIFunctionCall { Arguments = call.ArgumentsJson } }],
                    },
                }));
                break;
            case CompletionEventKind.Done:
                output.Add(Chunk(new ChatChoice { Index = choice, Delta = new ChatMessage(), FinishReason = FinishReason(e.Final?.DoneReason, _toolCalls[choice] > 0) }));
                break;
        }
    }

    public ChatCompletionChunk UsageChunk(Usage usage) => new()
    {
        Id = _id,
        Created = _created,
        Model = _model,
        Choices = [],
        Usage = usage,
    };

    /// <summary>OpenAI's finish_reason for Ollama's done_reason.</summary>
    public static string FinishReason(string? doneReason, bool calledTools) =>
        calledTools ? "tool_calls" : doneReason == "length" ? "length" : "stop";

    private static ChatLogprobs? ChatLogprobsOf(CompletionEvent e)
    {
        if (e.Logprobs is not { Count: > 0 })
        {
            return null;
        }

        var content = new List<ChatTokenLogprob>(e.Logprobs.Count);
        LogprobTranslation.AddChat(e.Logprobs, content);
        return new ChatLogprobs { Content = content };
    }

    private ChatCompletionChunk Chunk(ChatChoice choice) => new()
    {
        Id = _id,
        Created = _created,
        Model = _model,
        Choices = [choice],
    };
}
