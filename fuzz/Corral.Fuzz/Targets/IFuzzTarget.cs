namespace Corral.Fuzz.Targets;

/// <summary>
/// One parser of untrusted bytes, wrapped for fuzzing. <see cref="Run"/> swallows only the exceptions the parser
/// documents for bad input; anything else escaping it (IndexOutOfRange, NullReference, InvalidCast, a stack
/// overflow, an out-of-memory from a small input) is a finding, and afl-fuzz records the input as a crash.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Lower-case name: the argument of <c>fuzz/run.sh</c> and the folder under <c>fuzz/corpus/</c>.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> data);
}
