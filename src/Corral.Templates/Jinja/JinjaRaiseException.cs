namespace Corral.Templates.Jinja;

/// <summary>
/// The template itself called <c>raise_exception(msg)</c>: templates do this to reject a conversation they cannot
/// express (e.g. roles out of order), so the server should answer 400 with <see cref="Exception.Message"/>.
/// </summary>
public sealed class JinjaRaiseException(string message) : JinjaException(message);
