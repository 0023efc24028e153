using System.Text;
using Corral.Api.Ollama;
using Corral.Models.Creation;
using Corral.Models.Names;
using Corral.Runner.Client;
using Corral.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Corral.Server.Tests.Http;

/// <summary>
/// The error middleware answers with a message written for the client only when Corral threw on purpose; any other
/// exception (a bug, a library failure) becomes a plain 500 that names no path or type, and is logged in full.
/// </summary>
public sealed class ErrorMappingTests
{
    [Fact]
    public async Task A_library_exception_is_a_plain_500_and_logged_in_full()
    {
        var log = new CapturingLogger();
        var (status, body) = await RunAsync(new IOException("could not open /home/alice/.secret/blob"), log);

        Assert.Equal(500, status);
        Assert.Equal($"{{\"error\":\"{ErrorHandlingMiddleware.InternalErrorMessage}\"}}", body);
        Assert.DoesNotContain("alice", body, StringComparison.Ordinal);
        var entry = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("alice", entry.Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_argument_exception_is_a_server_fault_not_a_bad_request()
    {
        var (status, body) = await RunAsync(new ArgumentException("Value cannot be null. (Parameter 'key')"), new CapturingLogger());

        Assert.Equal(500, status);
        Assert.DoesNotContain("Parameter", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corral_validation_exceptions_are_400s_with_their_message()
    {
        var log = new CapturingLogger();
        var (optionStatus, optionBody) = await RunAsync(new InvalidOptionException("invalid int value [x]", "num_ctx"), log);
        var (nameStatus, nameBody) = await RunAsync(new InvalidModelNameException(ModelName.Parse("bad name!"), "name"), log);

        Assert.Equal(400, optionStatus);
        Assert.Contains("invalid int value [x]", optionBody, StringComparison.Ordinal);
        Assert.Equal(400, nameStatus);
        Assert.Contains("invalid model name", nameBody, StringComparison.Ordinal);
        Assert.Empty(log.Entries); // a client's mistake is not a server fault
    }

    [Fact]
    public async Task Create_failures_get_the_status_their_kind_says()
    {
        var log = new CapturingLogger();
        var (inputStatus, inputBody) = await RunAsync(new CreateInputException("file path must be relative"), log);
        var (missingStatus, missingBody) = await RunAsync(new CreateSourceNotFoundException("no-such-model"), log);
        Assert.Empty(log.Entries); // the request's fault
        var (failedStatus, failedBody) = await RunAsync(new CreateFailedException("quantization failed: out of memory"), log);

        Assert.Equal((400, "{\"error\":\"file path must be relative\"}"), (inputStatus, inputBody));
        Assert.Equal((404, "{\"error\":\"model 'no-such-model' not found\"}"), (missingStatus, missingBody));
        Assert.Equal((500, "{\"error\":\"quantization failed: out of memory\"}"), (failedStatus, failedBody));
        Assert.Equal(LogLevel.Error, Assert.Single(log.Entries).Level);
    }

    [Fact]
    public async Task A_corral_failure_keeps_its_message()
    {
        var (status, body) = await RunAsync(new RunnerException("runner exited unexpectedly: out of memory"), new CapturingLogger());

        Assert.Equal(500, status);
        Assert.Contains("runner exited unexpectedly: out of memory", body, StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Body)> RunAsync(Exception thrown, ILogger<ErrorHandlingMiddleware> logger)
    {
        var http = new DefaultHttpContext();
        var body = new MemoryStream();
        http.Response.Body = body;
        var middleware = new ErrorHandlingMiddleware(_ => throw thrown, logger);
        await middleware.InvokeAsync(http);
        return (http.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    private sealed class CapturingLogger : ILogger<ErrorHandlingMiddleware>
    {
        public List<(LogLevel Level, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, exception));
    }
}
