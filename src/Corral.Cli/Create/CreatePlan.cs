using Corral.Api.Ollama;

namespace Corral.Cli.Create;

/// <summary>What <c>corral create</c> sends: the request (files named by digest) and the local files behind it.</summary>
internal sealed record CreatePlan(CreateRequest Request, IReadOnlyList<LocalBlob> Uploads, IReadOnlyList<string> Warnings);
