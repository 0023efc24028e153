using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Corral.Llama.Native;

namespace Corral.Llama.Tests;

/// <summary>
/// Compiles a C program against the pinned llama.h that prints sizeof/offsetof for every struct
/// and field declared in C# with [NativeStruct], and compares them with the managed layout.
/// </summary>
public sealed class AbiTests
{
    private static readonly Type[] NativeStructs = typeof(LlamaNative).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<NativeStructAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    [Fact]
    public void The_bindings_declare_the_structs_the_runner_needs()
    {
        var names = NativeStructs.Select(t => t.GetCustomAttribute<NativeStructAttribute>()!.CName).ToHashSet();
        Assert.Superset(new HashSet<string> { "llama_model_params", "llama_context_params", "llama_batch", "llama_model_quantize_params" }, names);
        Assert.Superset(new HashSet<string> { "mtmd_context_params", "mtmd_input_text", "mtmd_helper_init_opt", "mtmd_helper_bitmap_wrapper" }, names);
    }

    [Fact]
    public void Struct_sizes_and_field_offsets_match_the_C_compiler()
    {
        var expected = RunCLayoutProgram();
        var diff = new List<string>();
        foreach (var type in NativeStructs)
        {
            var cName = type.GetCustomAttribute<NativeStructAttribute>()!.CName;
            Compare(diff, $"sizeof(struct {cName})", expected[$"{cName}"].Size, Marshal.SizeOf(type));
            foreach (var field in Fields(type))
            {
                var c = expected[$"{cName}.{field.Name}"];
                Compare(diff, $"offsetof({cName}, {field.Name})", c.Offset, (long)Marshal.OffsetOf(type, field.Name));
                Compare(diff, $"sizeof({cName}.{field.Name})", c.Size, ManagedSize(field.FieldType));
            }
        }

        Assert.True(diff.Count == 0, "C# layout differs from llama.h:\n" + string.Join('\n', diff));
    }

    [Fact]
    public void Every_C_field_of_a_declared_struct_is_declared_in_CSharp()
    {
        // Catches a field added at the end of a struct where padding hides it from sizeof.
        var header = ReadHeaders();
        var missing = new List<string>();
        foreach (var type in NativeStructs)
        {
            var cName = type.GetCustomAttribute<NativeStructAttribute>()!.CName;
            var cFields = CFieldNames(header, cName);
            Assert.True(cFields.Count > 0, $"Could not find struct {cName} in llama.h, mtmd.h or mtmd-helper.h");
            var declared = Fields(type).Select(f => f.Name).ToList();
            if (!cFields.SequenceEqual(declared))
            {
                missing.Add($"{cName}: C has [{string.Join(", ", cFields)}]\n{new string(' ', cName.Length)}  C# has [{string.Join(", ", declared)}]");
            }
        }

        Assert.True(missing.Count == 0, "Field lists differ:\n" + string.Join('\n', missing));
    }

    private static FieldInfo[] Fields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderBy(f => (long)Marshal.OffsetOf(type, f.Name))
            .ToArray();

    private static void Compare(List<string> diff, string what, long c, long managed)
    {
        if (c != managed)
        {
            diff.Add($"  {what}: C {c}, C# {managed}");
        }
    }

    private static long ManagedSize(Type type)
    {
        if (type.IsPointer || type == typeof(nint) || type == typeof(nuint) || type.IsFunctionPointer)
        {
            return IntPtr.Size;
        }

        return Marshal.SizeOf(type.IsEnum ? Enum.GetUnderlyingType(type) : type);
    }

    private static Dictionary<string, (long Offset, long Size)> RunCLayoutProgram()
    {
        var source = new StringBuilder();
        source.AppendLine("#include <stdio.h>");
        source.AppendLine("#include <stddef.h>");
        source.AppendLine("#include \"llama.h\"");
        source.AppendLine("#include \"mtmd.h\"");
        source.AppendLine("#include \"mtmd-helper.h\"");
        source.AppendLine("int main(void) {");
        foreach (var type in NativeStructs)
        {
            var cName = type.GetCustomAttribute<NativeStructAttribute>()!.CName;
            source.AppendLine($"  printf(\"%s 0 %zu\\n\", \"{cName}\", sizeof(struct {cName}));");
            foreach (var field in Fields(type))
            {
                source.AppendLine(
                    $"  printf(\"%s %zu %zu\\n\", \"{cName}.{field.Name}\", offsetof(struct {cName}, {field.Name}), sizeof(((struct {cName} *)0)->{field.Name}));");
            }
        }

        source.AppendLine("  return 0;");
        source.AppendLine("}");

        var work = Directory.CreateTempSubdirectory("corral-abi-");
        try
        {
            var cFile = Path.Combine(work.FullName, "abi.c");
            var exe = Path.Combine(work.FullName, "abi");
            File.WriteAllText(cFile, source.ToString());
            var llama = TestEnvironment.LlamaSource;
            var compile = TestEnvironment.Run("gcc", "-std=c11", "-I", Path.Combine(llama, "include"),
                "-I", Path.Combine(llama, "ggml", "include"), "-I", Path.Combine(llama, "tools", "mtmd"), cFile, "-o", exe);
            Assert.True(compile.ExitCode == 0, $"gcc failed:\n{compile.Stderr}\n--- source ---\n{source}");

            var run = TestEnvironment.Run(exe);
            Assert.Equal(0, run.ExitCode);
            var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
            foreach (var line in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                result[parts[0]] = (long.Parse(parts[1]), long.Parse(parts[2]));
            }

            return result;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string ReadHeaders() =>
        File.ReadAllText(Path.Combine(TestEnvironment.LlamaSource, "include", "llama.h")) +
        File.ReadAllText(Path.Combine(TestEnvironment.LlamaSource, "tools", "mtmd", "mtmd.h")) +
        File.ReadAllText(Path.Combine(TestEnvironment.LlamaSource, "tools", "mtmd", "mtmd-helper.h"));

    /// <summary>Field names of <c>struct name { ... }</c> in declaration order, from the header text.</summary>
    private static List<string> CFieldNames(string header, string name)
    {
        var start = Regex.Match(header, @"struct\s+" + Regex.Escape(name) + @"\s*\{");
        if (!start.Success)
        {
            return [];
        }

        var depth = 1;
        var i = start.Index + start.Length;
        var bodyStart = i;
        for (; i < header.Length && depth > 0; i++)
        {
            depth += header[i] == '{' ? 1 : header[i] == '}' ? -1 : 0;
        }

        var body = header[bodyStart..(i - 1)];
        body = Regex.Replace(body, @"//[^\n]*", "");
        body = Regex.Replace(body, @"/\*.*?\*/", "", RegexOptions.Singleline);
        var names = new List<string>();
        foreach (var declaration in body.Split(';'))
        {
            var text = declaration.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            var functionPointer = Regex.Match(text, @"\(\s*\*\s*(\w+)\s*\)");
            var last = functionPointer.Success
                ? functionPointer.Groups[1].Value
                : Regex.Match(text, @"(\w+)\s*(\[[^\]]*\])?\s*$").Groups[1].Value;
            names.Add(last);
        }

        return names;
    }
}
