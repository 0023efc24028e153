using Corral.Server.Inference;

namespace Corral.Server.OpenAI;

/// <summary>An event of one of the <c>n</c> choices of a request.</summary>
internal readonly record struct ChoiceEvent(int Choice, CompletionEvent Event);
