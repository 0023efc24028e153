namespace Corral.Api.OpenAI;

/// <summary>
/// llama-server's extra sampling fields that a <c>/v1</c> request may carry beside OpenAI's own (clients written for
/// llama-server send them at the top level of the body). They become the native options of the same names.
/// </summary>
public interface ILlamaSamplingFields
{
    int? TopK { get; }

    float? MinP { get; }

    float? TypicalP { get; }

    float? TopNSigma { get; }

    float? XtcProbability { get; }

    float? XtcThreshold { get; }

    float? DryMultiplier { get; }

    float? DryBase { get; }

    int? DryAllowedLength { get; }

    int? DryPenaltyLastN { get; }

    IReadOnlyList<string>? DrySequenceBreakers { get; }
}
