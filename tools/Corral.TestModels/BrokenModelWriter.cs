using System.Buffers.Binary;
using System.Text;
using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Copies a generated GGUF with one defect of the kind that crashes or fails llama.cpp (a tensor type it cannot
/// compute with, a bad hyper-parameter, a corrupted token), for the tests of <see cref="GgufIntegrity"/> and of
/// what a client hears when such a model reaches a runner anyway.
/// </summary>
public static class BrokenModelWriter
{
    /// <summary><paramref name="tensor"/> stored as <paramref name="type"/> (zero bytes; its row length must fit the type's blocks).</summary>
    public static void WithTensorType(string source, string destination, string tensor, GgmlType type) =>
        Copy(source, destination, _ => { }, t => t.Name == tensor ? type : null);

    /// <summary>One metadata value set (added or replaced).</summary>
    public static void WithMetadata(string source, string destination, string key, GgufValue value) =>
        Copy(source, destination, w => w.Metadata.Set(key, value), _ => null);

    /// <summary>
    /// Token <paramref name="tokenId"/>'s byte at <paramref name="byteIndex"/> XORed with <paramref name="mask"/> in the
    /// file itself, as a bit flip on disk would leave it (the result need not be UTF-8).
    /// </summary>
    public static void WithFlippedTokenByte(string source, string destination, int tokenId, int byteIndex, byte mask)
    {
        byte[] file = File.ReadAllBytes(source);
        int at = TokenOffset(file, tokenId);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
        if ((ulong)byteIndex >= length)
        {
            throw new ArgumentOutOfRangeException(nameof(byteIndex), $"token {tokenId} has {length} bytes");
        }

        file[at + 8 + byteIndex] ^= mask;
        File.WriteAllBytes(destination, file);
    }

    private static void Copy(string source, string destination, Action<GgufWriter> edit, Func<GgufTensorInfo, GgmlType?> retype)
    {
        GgufFile gguf = GgufReader.Read(source);
        var w = new GgufWriter(gguf.Alignment);
        foreach (var (key, value) in gguf.Metadata)
        {
            if (key != GgufKeys.Alignment)
            {
                w.Add(key, value);
            }
        }

        edit(w);
        using var input = File.OpenRead(source);
        foreach (GgufTensorInfo t in gguf.Tensors)
        {
            if (retype(t) is { } type)
            {
                w.AddTensor(t.Name, t.Dimensions, type, new byte[GgmlTypeInfo.GetByteSize(type, t.ElementCount)]);
                continue;
            }

            var bytes = new byte[t.ByteSize];
            input.Position = gguf.GetTensorFileOffset(t);
            input.ReadExactly(bytes);
            w.AddTensor(t.Name, t.Dimensions, t.Type, bytes);
        }

        w.WriteTo(destination);
    }

    /// <summary>Offset of token <paramref name="tokenId"/>'s length prefix, walking tokenizer.ggml.tokens in the raw file.</summary>
    private static int TokenOffset(byte[] file, int tokenId)
    {
        byte[] key = Encoding.UTF8.GetBytes(GgufKeys.Tokens);
        byte[] needle = [.. BitConverter.GetBytes((ulong)key.Length), .. key];
        int at = file.AsSpan().IndexOf(needle);
        if (at < 0)
        {
            throw new InvalidOperationException("no token list");
        }

        at += needle.Length + 4 + 4 + 8; // value type (array), element type (string), count
        for (int i = 0; i < tokenId; i++)
        {
            at += 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
        }

        return at;
    }
}
