namespace Corral.Server.OpenAI.Responses.Storage;

/// <summary>The responses database cannot be used (locked, damaged, not a database, too new): the server does not start, and the file is left as it was.</summary>
public sealed class ResponsesDatabaseException(string message, Exception? inner = null) : Exception(message, inner);
