using System.Globalization;
using Corral.Llama;

namespace Corral.Runner.Quantizing;

/// <summary>The command line of <c>corral quantize</c>: input and output GGUF, target file type, threads.</summary>
public sealed record QuantizeLaunchOptions
{
    public const string Verb = "quantize";

    public required string InputPath { get; init; }

    public required string OutputPath { get; init; }

    public required LlamaFileType FileType { get; init; }

    /// <summary>Worker threads; 0 = all hardware threads (llama.cpp's choice).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Exit as soon as stdin reaches end of file. The server keeps the child's stdin open and never writes to it,
    /// so a quantizer whose server died (even by SIGKILL) stops instead of running on as an orphan.
    /// </summary>
    public bool ExitWithStdin { get; init; }

    public IReadOnlyList<string> ToArguments()
    {
        var args = new List<string>
        {
            Verb,
            "--input", InputPath,
            "--output", OutputPath,
            "--type", FileType.ToString(),
            "--threads", Threads.ToString(CultureInfo.InvariantCulture),
        };
        if (ExitWithStdin)
        {
            args.Add("--exit-with-stdin");
        }

        return args;
    }

    /// <summary>Parses the arguments after <c>quantize</c>.</summary>
    /// <exception cref="ArgumentException">Missing or unknown arguments, or an unknown file type.</exception>
    public static QuantizeLaunchOptions Parse(IReadOnlyList<string> args)
    {
        string? input = null, output = null;
        LlamaFileType? type = null;
        var threads = 0;
        var exitWithStdin = false;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"quantize: {args[i]} needs a value");
            switch (args[i])
            {
                case "--input": input = Next(); break;
                case "--output": output = Next(); break;
                case "--type": type = ParseFileType(Next()); break;
                case "--threads":
                    threads = int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                        ? n
                        : throw new ArgumentException("quantize: --threads must be a non-negative number");
                    break;
                case "--exit-with-stdin": exitWithStdin = true; break;
                default: throw new ArgumentException($"quantize: unknown argument '{args[i]}'");
            }
        }

        if (string.IsNullOrEmpty(input) || string.IsNullOrEmpty(output) || type is null)
        {
            throw new ArgumentException("quantize: --input, --output and --type are required");
        }

        return new QuantizeLaunchOptions { InputPath = input, OutputPath = output, FileType = type.Value, Threads = threads, ExitWithStdin = exitWithStdin };
    }

    /// <summary>A <see cref="LlamaFileType"/> name (Q4_K_M, Q8_0, F16, AllF32; F32 too), any case.</summary>
    private static LlamaFileType ParseFileType(string text)
    {
        if (text.Equals("F32", StringComparison.OrdinalIgnoreCase))
        {
            return LlamaFileType.AllF32;
        }

        // Names only: a number would parse as any value, named or not.
        return !char.IsAsciiDigit(text.FirstOrDefault()) && Enum.TryParse<LlamaFileType>(text, ignoreCase: true, out var type) && Enum.IsDefined(type)
            ? type
            : throw new ArgumentException($"quantize: unknown file type '{text}'");
    }
}
