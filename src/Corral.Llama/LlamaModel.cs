using System.Runtime.InteropServices;
using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>A loaded GGUF model (<c>llama_model</c>): weights, vocabulary and metadata.</summary>
public sealed unsafe class LlamaModel : IDisposable
{
    private IReadOnlyDictionary<string, string>? _metadata;

    private LlamaModel(SafeLlamaModelHandle handle, string path)
    {
        Handle = handle;
        Path = path;
        Vocab = new LlamaVocab(this, LlamaNative.llama_model_get_vocab(handle));
    }

    public SafeLlamaModelHandle Handle { get; }

    /// <summary>The file the model was loaded from.</summary>
    public string Path { get; }

    public LlamaVocab Vocab { get; }

    /// <summary>Short type description, e.g. "llama 1B Q4_K - Medium".</summary>
    public string Description => ReadString(Handle, &LlamaNative.llama_model_desc);

    public ulong SizeBytes => LlamaNative.llama_model_size(Handle);

    public ulong ParameterCount => LlamaNative.llama_model_n_params(Handle);

    public int TrainContextLength => LlamaNative.llama_model_n_ctx_train(Handle);

    public int EmbeddingLength => LlamaNative.llama_model_n_embd(Handle);

    /// <summary>Width of input embeddings, e.g. the rows a vision projector feeds in (usually = <see cref="EmbeddingLength"/>).</summary>
    public int InputEmbeddingLength => LlamaNative.llama_model_n_embd_inp(Handle);

    /// <summary>Width of the vectors returned by the embedding getters of a context.</summary>
    public int OutputEmbeddingLength => LlamaNative.llama_model_n_embd_out(Handle);

    public int LayerCount => LlamaNative.llama_model_n_layer(Handle);

    public int HeadCount => LlamaNative.llama_model_n_head(Handle);

    public int HeadCountKv => LlamaNative.llama_model_n_head_kv(Handle);

    /// <summary>Sliding-window size, 0 when the model has no SWA layers.</summary>
    public int SlidingWindow => LlamaNative.llama_model_n_swa(Handle);

    public LlamaRopeType RopeType => LlamaNative.llama_model_rope_type(Handle);

    public LlamaFileType FileType => LlamaNative.llama_model_ftype(Handle);

    public bool HasEncoder => LlamaNative.llama_model_has_encoder(Handle);

    public bool HasDecoder => LlamaNative.llama_model_has_decoder(Handle);

    public bool IsRecurrent => LlamaNative.llama_model_is_recurrent(Handle);

    public bool IsHybrid => LlamaNative.llama_model_is_hybrid(Handle);

    /// <summary>For encoder-decoder models, the first decoder token; null otherwise.</summary>
    public LlamaToken? DecoderStartToken => LlamaVocab.OrNull(LlamaNative.llama_model_decoder_start_token(Handle));

    /// <summary>The GGUF's default chat template (tokenizer.chat_template), or null.</summary>
    public string? ChatTemplate => GetChatTemplate(null);

    /// <summary>All scalar GGUF metadata as strings (arrays are not included by llama.cpp).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata ??= ReadMetadata();

    /// <summary>
    /// Loads a GGUF file. <paramref name="progress"/> receives 0..1; cancelling <paramref name="cancellationToken"/>
    /// aborts the load from the next progress callback and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="LlamaModelLoadException">The file is missing, unreadable or not a loadable model.</exception>
    public static LlamaModel Load(string path, LlamaModelLoadOptions? options = null, IProgress<float>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= LlamaModelLoadOptions.Default;
        LlamaBackend.EnsureInitialized();

        if (!File.Exists(path))
        {
            throw new LlamaModelLoadException($"Cannot load model '{path}': file not found", path);
        }

        var parameters = LlamaNative.llama_model_default_params();
        parameters.n_gpu_layers = options.GpuLayers;
        parameters.main_gpu = options.MainGpu;
        parameters.vocab_only = options.VocabOnly;
        parameters.check_tensors = options.CheckTensors;
        parameters.load_mode = (options.UseMmap, options.UseMlock) switch
        {
            (null, false) => NativeLoadMode.Auto,
            (null or true, true) => NativeLoadMode.MmapMlock,
            (true, false) => NativeLoadMode.Mmap,
            (false, true) => NativeLoadMode.Mlock,
            (false, false) => NativeLoadMode.None,
        };

        var state = new LoadProgressState(progress, cancellationToken);
        var stateHandle = GCHandle.Alloc(state);
        // llama.cpp reads tensor_split (up to its device count) during the load only; pinned until then.
        // It reads one entry per device, so the array is padded to LLAMA_MAX_DEVICES (16) with zeros.
        var split = options.TensorSplit is { Count: > 0 } shares ? shares.Concat(new float[Math.Max(0, 16 - shares.Count)]).ToArray() : null;
        var splitHandle = split is null ? default : GCHandle.Alloc(split, GCHandleType.Pinned);
        try
        {
            if (split is not null)
            {
                parameters.tensor_split = splitHandle.AddrOfPinnedObject();
            }

            parameters.progress_callback = (nint)(delegate* unmanaged[Cdecl]<float, nint, byte>)&OnProgress;
            parameters.progress_callback_user_data = GCHandle.ToIntPtr(stateHandle);

            using var capture = NativeLogRouter.BeginCapture();
            var model = LlamaNative.llama_model_load_from_file(path, parameters);
            if (model == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new LlamaModelLoadException(
                    LlamaException.WithNativeReason($"Cannot load model '{path}'", capture.Text), path);
            }

            return new LlamaModel(new SafeLlamaModelHandle(model), path);
        }
        finally
        {
            stateHandle.Free();
            if (split is not null)
            {
                splitHandle.Free();
            }
        }
    }

    /// <summary>A named chat template stored in the GGUF (tokenizer.chat_template.&lt;name&gt;), or the default when null.</summary>
    public string? GetChatTemplate(string? name)
    {
        byte* result;
        if (name is null)
        {
            result = LlamaNative.llama_model_chat_template(Handle, null);
        }
        else
        {
            var utf8 = Utf8.NullTerminated(name);
            fixed (byte* p = utf8)
            {
                result = LlamaNative.llama_model_chat_template(Handle, p);
            }
        }

        return result is null ? null : Marshal.PtrToStringUTF8((nint)result);
    }

    /// <summary>One scalar metadata value by key, or null when absent.</summary>
    public string? GetMetadata(string key)
    {
        var keyUtf8 = Utf8.NullTerminated(key);
        fixed (byte* k = keyUtf8)
        {
            Span<byte> small = stackalloc byte[256];
            int length;
            fixed (byte* b = small)
            {
                length = LlamaNative.llama_model_meta_val_str(Handle, k, b, (nuint)small.Length);
            }

            if (length < 0)
            {
                return null;
            }

            if (length < small.Length)
            {
                return System.Text.Encoding.UTF8.GetString(small[..length]);
            }

            var large = new byte[length + 1];
            fixed (byte* b = large)
            {
                length = LlamaNative.llama_model_meta_val_str(Handle, k, b, (nuint)large.Length);
            }

            return System.Text.Encoding.UTF8.GetString(large, 0, length);
        }
    }

    public void Dispose() => Handle.Dispose();

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Handle.IsClosed, this);

    private Dictionary<string, string> ReadMetadata()
    {
        var count = LlamaNative.llama_model_meta_count(Handle);
        var result = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = ReadIndexed(Handle, i, &LlamaNative.llama_model_meta_key_by_index);
            var value = ReadIndexed(Handle, i, &LlamaNative.llama_model_meta_val_str_by_index);
            result[key] = value;
        }

        return result;
    }

    // The metadata getters follow snprintf: they return the full length even when the buffer was
    // too small, so a second call with the exact size is enough.
    private static string ReadString(SafeLlamaModelHandle model, delegate*<SafeLlamaModelHandle, byte*, nuint, int> read)
    {
        Span<byte> small = stackalloc byte[256];
        int length;
        fixed (byte* b = small)
        {
            length = read(model, b, (nuint)small.Length);
        }

        if (length <= 0)
        {
            return "";
        }

        if (length < small.Length)
        {
            return System.Text.Encoding.UTF8.GetString(small[..length]);
        }

        var large = new byte[length + 1];
        fixed (byte* b = large)
        {
            length = read(model, b, (nuint)large.Length);
        }

        return System.Text.Encoding.UTF8.GetString(large, 0, Math.Max(0, length));
    }

    private static string ReadIndexed(SafeLlamaModelHandle model, int index,
        delegate*<SafeLlamaModelHandle, int, byte*, nuint, int> read)
    {
        Span<byte> small = stackalloc byte[256];
        int length;
        fixed (byte* b = small)
        {
            length = read(model, index, b, (nuint)small.Length);
        }

        if (length <= 0)
        {
            return "";
        }

        if (length < small.Length)
        {
            return System.Text.Encoding.UTF8.GetString(small[..length]);
        }

        var large = new byte[length + 1];
        fixed (byte* b = large)
        {
            length = read(model, index, b, (nuint)large.Length);
        }

        return System.Text.Encoding.UTF8.GetString(large, 0, Math.Max(0, length));
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static byte OnProgress(float progress, nint userData)
    {
        try
        {
            var state = (LoadProgressState)GCHandle.FromIntPtr(userData).Target!;
            if (state.CancellationToken.IsCancellationRequested)
            {
                return 0;
            }

            state.Progress?.Report(progress);
            return 1;
        }
        catch
        {
            // Never unwind into native code; a failing progress sink must not abort the load.
            return 1;
        }
    }

    private sealed record LoadProgressState(IProgress<float>? Progress, CancellationToken CancellationToken);
}
