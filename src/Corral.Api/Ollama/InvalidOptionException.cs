namespace Corral.Api.Ollama;

/// <summary>
/// A request's option, think level or format that cannot be used as given (an unknown parameter, a value of the wrong
/// kind): the client's mistake, answered with a 400. An <see cref="ArgumentException"/>, so the message names the
/// parameter as before.
/// </summary>
public sealed class InvalidOptionException(string message, string? parameter = null) : ArgumentException(message, parameter);
