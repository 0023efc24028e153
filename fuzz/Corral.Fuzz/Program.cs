using Corral.Fuzz.Targets;
using SharpFuzz;

// corral-fuzz <target>              run under afl-fuzz (persistent mode: one process, many inputs)
// corral-fuzz <target> <file|dir>…  run the given inputs once each and report the first unexpected exception
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine($"usage: Corral.Fuzz <target> [input file or folder...]; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

if (args.Length == 1)
{
    // Persistent mode keeps the JIT-compiled parser warm between inputs: thousands of executions a second
    // instead of one process start (~100 ms) per input.
    // Each input arrives as a stream over afl's shared test case.
    var buffer = new MemoryStream();
    Action<Stream> run = stream =>
    {
        buffer.SetLength(0);
        stream.CopyTo(buffer);
        target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    };

    // In persistent mode this process is afl's fork server: an input that kills it (a stack overflow) aborts afl
    // without saving the input. Out of process, a child runs the inputs and such a death is recorded as a crash.
    if (Environment.GetEnvironmentVariable("CORRAL_FUZZ_OUT_OF_PROCESS") == "1")
    {
        Fuzzer.OutOfProcess.Run(run);
    }
    else
    {
        Fuzzer.Run(run);
    }
    return 0;
}

var failures = 0;
foreach (var path in args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p) : [p]).Order(StringComparer.Ordinal))
{
    try
    {
        target.Run(File.ReadAllBytes(path));
    }
    catch (Exception e)
    {
        failures++;
        Console.WriteLine($"{path}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        Console.WriteLine(e.StackTrace);
    }
}

return failures == 0 ? 0 : 1;
