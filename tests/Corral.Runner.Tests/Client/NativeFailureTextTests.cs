using Corral.Runner.Client;

namespace Corral.Runner.Tests.Client;

/// <summary>Which stderr line a client hears when a runner or quantizer dies: llama.cpp's, not the noise after it.</summary>
public sealed class NativeFailureTextTests
{
    [Fact]
    public void An_assertion_wins_over_the_gdb_backtrace_that_follows_it()
    {
        string[] tail =
        [
            "llama_model_loader: loaded meta data with 23 key-value pairs",
            "/src/llama.cpp/src/llama-vocab.cpp:2539: GGML_ASSERT(id_to_token.size() == token_to_id.size()) failed",
            "[New LWP 4242]",
            "#0  0x00007f in __GI___wait4 () at ../sysdeps/unix/sysv/linux/wait4.c:30",
            "[Inferior 1 (process 4241) detached]",
        ];

        Assert.Equal("/src/llama.cpp/src/llama-vocab.cpp:2539: GGML_ASSERT(id_to_token.size() == token_to_id.size()) failed", NativeFailureText.Reason(tail));
    }

    [Fact]
    public void An_uncaught_exception_keeps_its_type_and_message()
    {
        string[] tail = ["terminate called after throwing an instance of 'std::out_of_range'", "  what():  basic_string::substr", "Aborted"];

        Assert.Equal("terminate called after throwing an instance of 'std::out_of_range': what():  basic_string::substr", NativeFailureText.Reason(tail));
    }

    [Fact]
    public void A_load_error_wins_over_later_lines()
    {
        string[] tail = ["llama_model_load: error loading model: error loading model hyperparameters: invalid n_rot: 8, expected 16", "main: exiting"];

        Assert.Equal("llama_model_load: error loading model: error loading model hyperparameters: invalid n_rot: 8, expected 16", NativeFailureText.Reason(tail));
    }

    [Fact]
    public void Otherwise_the_last_line_that_is_not_debugger_noise()
    {
        Assert.Equal("CORRAL_TEST_QUANTIZE_CRASH=abort: aborting at tensor 1/21", NativeFailureText.Reason(["CORRAL_TEST_QUANTIZE_CRASH=abort: aborting at tensor 1/21", "[Inferior 1 (process 9) detached]", ""]));
        Assert.Null(NativeFailureText.Reason(["", "  "]));
    }

    [Theory]
    [InlineData(134, "crashed (SIGABRT)")]
    [InlineData(139, "crashed (SIGSEGV)")]
    [InlineData(1, "exited with code 1")]
    public void How_it_ended(int exitCode, string expected) => Assert.Equal(expected, NativeFailureText.HowItEnded(exitCode));
}
