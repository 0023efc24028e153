using Corral.Llama;
using Corral.Runner.Hosting;

namespace Corral.Runner.Quantizing;

/// <summary>
/// The hidden <c>corral quantize</c> subcommand: runs llama_model_quantize in a process of its own, so a native
/// crash or abort on a hostile GGUF, or running out of memory, ends only this process, and the server can cancel
/// it by killing it. Speaks <see cref="QuantizeProtocol"/> on stdout; exit 0 on success, 1 when quantization
/// failed, 2 for bad arguments.
/// </summary>
public static class QuantizeCommand
{
    /// <summary>
    /// Test hook, honoured only by this child: <c>abort</c> makes it call abort() when it starts the first tensor
    /// (the output file is then half written), to test that the server survives a native crash and cleans up.
    /// </summary>
    public const string CrashHookVariable = "CORRAL_TEST_QUANTIZE_CRASH";

    public static int Run(IReadOnlyList<string> args)
    {
        QuantizeLaunchOptions options;
        try
        {
            options = QuantizeLaunchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(QuantizeProtocol.ErrorPrefix + ex.Message);
            return 2;
        }

        if (options.ExitWithStdin)
        {
            ParentLifeline.ExitWhenStdinCloses();
        }

        var crash = Environment.GetEnvironmentVariable(CrashHookVariable) == "abort";
        var tensors = 0;
        try
        {
            LlamaBackend.EnsureInitialized(new QuantizeLogWatcher((index, count) =>
            {
                if (crash)
                {
                    Console.Error.WriteLine($"{CrashHookVariable}=abort: aborting at tensor {index}/{count}");
                    ProcessTermination.Abort();
                }

                tensors = count;
                Console.Out.WriteLine(QuantizeProtocol.Progress(index - 1, count));
            }));
            LlamaQuantizer.Quantize(options.InputPath, options.OutputPath, options.FileType, options.Threads);
        }
        catch (LlamaException ex)
        {
            TryDelete(options.OutputPath);
            Console.Error.WriteLine(QuantizeProtocol.ErrorPrefix + ex.Message);
            return 1;
        }

        Console.Out.WriteLine(QuantizeProtocol.Progress(tensors, tensors));
        Console.Out.WriteLine(QuantizeProtocol.Done);
        return 0;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
