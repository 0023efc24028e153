using System.Runtime.InteropServices;
using System.Text;
using Corral.Llama.Native;

namespace Corral.Llama.Multimodal;

/// <summary>
/// A multimodal projector (mmproj GGUF) loaded for one text model (<c>mtmd_context</c>): turns
/// images into embeddings the text model reads in place of tokens.
/// Thread-safety: <see cref="DecodeImage"/> and <see cref="Tokenize"/> may run on any thread;
/// <see cref="EvaluateChunk"/> and <see cref="EncodeChunk"/> use the projector's compute buffers
/// and must run on one thread at a time (the one that owns the llama context).
/// </summary>
public sealed unsafe class MtmdContext : IDisposable
{
    private static int _logRouted;

    private MtmdContext(SafeMtmdContextHandle handle, LlamaModel model, string projectorPath)
    {
        Handle = handle;
        Model = model;
        ProjectorPath = projectorPath;
        Marker = Marshal.PtrToStringUTF8((nint)MtmdNative.mtmd_get_marker(handle)) ?? DefaultMarker;
        SupportsVision = MtmdNative.mtmd_support_vision(handle);
        SupportsAudio = MtmdNative.mtmd_support_audio(handle);
        UsesMRope = MtmdNative.mtmd_decode_use_mrope(handle);
    }

    public SafeMtmdContextHandle Handle { get; }

    /// <summary>The text model the projector feeds.</summary>
    public LlamaModel Model { get; }

    public string ProjectorPath { get; }

    /// <summary>The text that stands for one image in a prompt passed to <see cref="Tokenize"/>.</summary>
    public string Marker { get; }

    public bool SupportsVision { get; }

    public bool SupportsAudio { get; }

    /// <summary>
    /// Positions are M-RoPE (Qwen2/3-VL): an image's <see cref="MtmdChunk.PositionCount"/> is smaller than
    /// its <see cref="MtmdChunk.TokenCount"/>, so n_past and KV cell counts diverge.
    /// <see cref="EvaluateChunk"/> handles it.
    /// </summary>
    public bool UsesMRope { get; }

    /// <summary>libmtmd's default marker, <c>&lt;__media__&gt;</c>.</summary>
    public static string DefaultMarker
    {
        get
        {
            NativeLibraryLocator.Load(MtmdNative.MtmdLibrary);
            return Marshal.PtrToStringUTF8((nint)MtmdNative.mtmd_default_marker()) ?? "<__media__>";
        }
    }

    /// <summary>True when libmtmd is present in the library folder (see eng/native.sh mtmd).</summary>
    public static bool IsLibraryAvailable =>
        NativeLibraryLocator.FindLibrary(NativeLibraryLocator.LibraryDirectory, MtmdNative.MtmdLibrary) is not null;

    /// <summary>Loads a projector GGUF for <paramref name="model"/>; its output width must equal the model's input embedding width.</summary>
    /// <param name="projectorPath">Path of the projector (mmproj) GGUF.</param>
    /// <param name="model">The loaded text model the projector feeds.</param>
    /// <param name="threads">CPU threads for the image encoder; 0 keeps libmtmd's default (4).</param>
    /// <param name="useGpu">Offload the encoder to a GPU when the build has one.</param>
    /// <exception cref="MtmdException">Missing file, not a projector, or not made for this model.</exception>
    /// <exception cref="LlamaLibraryNotFoundException">libmtmd is not built.</exception>
    public static MtmdContext Load(string projectorPath, LlamaModel model, int threads, bool useGpu = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectorPath);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        model.ThrowIfDisposed();
        if (!File.Exists(projectorPath))
        {
            throw new MtmdException($"Cannot load projector '{projectorPath}': file not found");
        }

        LlamaBackend.EnsureInitialized();
        NativeLibraryLocator.Load(MtmdNative.MtmdLibrary);
        if (Interlocked.Exchange(ref _logRouted, 1) == 0)
        {
            NativeLogRouter.InstallMtmd();
        }

        var parameters = MtmdNative.mtmd_context_params_default();
        parameters.use_gpu = useGpu;
        parameters.print_timings = false;
        if (threads > 0)
        {
            parameters.n_threads = threads;
        }

        using var capture = NativeLogRouter.BeginCapture();
        var ctx = MtmdNative.mtmd_init_from_file(projectorPath, model.Handle, parameters);
        if (ctx == 0)
        {
            throw new MtmdException(LlamaException.WithNativeReason($"Cannot load projector '{projectorPath}'", capture.Text));
        }

        return new MtmdContext(new SafeMtmdContextHandle(ctx, model.Handle), model, projectorPath);
    }

    /// <summary>
    /// Decodes an encoded image (png, jpeg, bmp, gif, tga, psd, ...: whatever stb_image reads). The
    /// bitmap's <see cref="MtmdBitmap.Id"/> is the SHA-256 of <paramref name="encoded"/>. Thread-safe.
    /// stb_image is lenient with a JPEG cut off inside its scan data (the missing part decodes as grey);
    /// it rejects anything cut before the frame header, and PNGs with missing data. It allocates the full
    /// pixel buffer (width × height × 3 bytes), so callers should bound the dimensions from the header first.
    /// </summary>
    /// <exception cref="MtmdImageException">Empty, truncated, corrupt, or not an image.</exception>
    public MtmdBitmap DecodeImage(ReadOnlySpan<byte> encoded)
    {
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (encoded.IsEmpty)
        {
            throw new MtmdImageException("The image is empty");
        }

        NativeMtmdHelperBitmapWrapper result;
        using var capture = NativeLogRouter.BeginCapture();
        fixed (byte* data = encoded)
        {
            result = MtmdNative.mtmd_helper_bitmap_init_from_buf(Handle, data, (nuint)encoded.Length, placeholder: false,
                MtmdNative.mtmd_helper_init_opt_default());
        }

        if (result.video_ctx != 0)
        {
            // Only a build with video support returns one; Corral's does not, but never leak it.
            MtmdNative.mtmd_helper_video_free(result.video_ctx);
        }

        if (result.bitmap == 0)
        {
            throw new MtmdImageException(LlamaException.WithNativeReason("The image could not be decoded", capture.Text));
        }

        var handle = new SafeMtmdBitmapHandle(result.bitmap);
        if (MtmdNative.mtmd_bitmap_is_audio(handle) || result.video_ctx != 0)
        {
            // The helper also accepts audio files (for audio projectors); an image was asked for.
            handle.Dispose();
            throw new MtmdImageException("The data is audio or video, not an image");
        }

        return new MtmdBitmap(handle);
    }

    /// <summary>
    /// Splits a prompt at each <see cref="Marker"/> into text chunks (tokenized with the text model's
    /// vocabulary) and one image chunk per marker, preprocessing <paramref name="bitmaps"/> in order.
    /// The projector may wrap an image in its own begin/end tokens (added to the text chunks). Thread-safe.
    /// </summary>
    /// <exception cref="MtmdException">The marker count differs from the bitmap count (<see cref="MtmdException.Code"/> 1, checked before libmtmd runs).</exception>
    /// <exception cref="MtmdImageException">An image failed preprocessing (code 2).</exception>
    public MtmdChunks Tokenize(string promptWithMarkers, IReadOnlyList<MtmdBitmap> bitmaps, bool addSpecial = true, bool parseSpecial = true)
    {
        ArgumentNullException.ThrowIfNull(promptWithMarkers);
        ArgumentNullException.ThrowIfNull(bitmaps);
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);

        // Checked here: libmtmd reports this mismatch with the same code as a preprocessing failure.
        var markers = CountMarkers(promptWithMarkers);
        if (markers != bitmaps.Count)
        {
            throw new MtmdException($"The prompt has {markers} image markers ('{Marker}') but {bitmaps.Count} images were given", 1);
        }

        var text = new byte[Encoding.UTF8.GetByteCount(promptWithMarkers) + 1];
        var textLength = Encoding.UTF8.GetBytes(promptWithMarkers, text);
        var pointers = new nint[bitmaps.Count];
        var added = new bool[bitmaps.Count];
        var chunks = new SafeMtmdChunksHandle(MtmdNative.mtmd_input_chunks_init());
        try
        {
            for (var i = 0; i < bitmaps.Count; i++)
            {
                ArgumentNullException.ThrowIfNull(bitmaps[i], nameof(bitmaps));
                bitmaps[i].Handle.DangerousAddRef(ref added[i]);
                pointers[i] = bitmaps[i].Handle.DangerousGetHandle();
            }

            int code;
            using var capture = NativeLogRouter.BeginCapture();
            fixed (byte* textPointer = text)
            fixed (nint* bitmapPointers = pointers)
            {
                var input = new NativeMtmdInputText
                {
                    text = (nint)textPointer,
                    text_len = (nuint)textLength,
                    add_special = addSpecial,
                    parse_special = parseSpecial,
                };
                code = MtmdNative.mtmd_tokenize(Handle, chunks, &input, bitmapPointers, (nuint)pointers.Length);
            }

            switch (code)
            {
                case 0:
                    return new MtmdChunks(chunks);
                case 2:
                    throw new MtmdImageException(LlamaException.WithNativeReason("An image could not be preprocessed", capture.Text), code);
                default:
                    throw new MtmdException(LlamaException.WithNativeReason($"mtmd_tokenize failed with code {code}", capture.Text), code);
            }
        }
        catch
        {
            chunks.Dispose();
            throw;
        }
        finally
        {
            for (var i = 0; i < bitmaps.Count; i++)
            {
                if (added[i])
                {
                    bitmaps[i].Handle.DangerousRelease();
                }
            }
        }
    }

    /// <summary>
    /// Evaluates one chunk into <paramref name="context"/> for <paramref name="sequence"/>, starting at
    /// position <paramref name="nPast"/>, with llama_decode (text in pieces of at most
    /// <paramref name="batchSize"/> tokens; an image is encoded by the projector, then its embeddings
    /// are decoded in pieces, with causal attention switched off meanwhile when the model wants that).
    /// With <paramref name="logitsLast"/>, a text chunk's last token gets logits (read them with
    /// <c>context.GetLogits(-1)</c>); image chunks never produce logits.
    /// Not thread-safe: call it on the thread that owns <paramref name="context"/>.
    /// </summary>
    /// <returns>The new n_past: <paramref name="nPast"/> + <see cref="MtmdChunk.PositionCount"/>.</returns>
    /// <exception cref="MtmdException">Encoding or decoding failed (e.g. the context is full); <see cref="MtmdException.Code"/> is the native result.</exception>
    public int EvaluateChunk(LlamaContext context, MtmdChunk chunk, int nPast, LlamaSeqId sequence, int batchSize, bool logitsLast)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentOutOfRangeException.ThrowIfNegative(nPast);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize); // libmtmd asserts (aborts) on 0
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (!ReferenceEquals(context.Model, Model))
        {
            throw new ArgumentException("The context belongs to another model than the projector was loaded for.", nameof(context));
        }

        var added = false;
        chunk.Owner.Handle.DangerousAddRef(ref added);
        try
        {
            // The helper adds a text chunk's count to *newNPast instead of assigning it.
            var newNPast = nPast;
            using var capture = NativeLogRouter.BeginCapture();
            var code = MtmdNative.mtmd_helper_eval_chunk_single(Handle, context.Handle, chunk.Pointer, nPast, sequence.Value, batchSize,
                logitsLast, &newNPast);
            if (code != 0)
            {
                throw new MtmdException(
                    LlamaException.WithNativeReason($"Evaluating the {chunk.Type.ToString().ToLowerInvariant()} chunk failed (code {code})", capture.Text),
                    code);
            }

            return newNPast;
        }
        finally
        {
            if (added)
            {
                chunk.Owner.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Runs the projector on an image (or audio) chunk and returns its embeddings: <see cref="MtmdChunk.TokenCount"/>
    /// rows of <see cref="LlamaModel.InputEmbeddingLength"/> floats, row-major (a copy). For callers that
    /// batch embeddings themselves; <see cref="EvaluateChunk"/> does encode + decode in one call. Not thread-safe.
    /// </summary>
    /// <exception cref="MtmdException">Encoding failed.</exception>
    public float[] EncodeChunk(MtmdChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        if (chunk.Type == MtmdChunkType.Text)
        {
            throw new ArgumentException("A text chunk has no embeddings to encode.", nameof(chunk));
        }

        var added = false;
        chunk.Owner.Handle.DangerousAddRef(ref added);
        try
        {
            using var capture = NativeLogRouter.BeginCapture();
            var code = MtmdNative.mtmd_encode_chunk(Handle, chunk.Pointer);
            var output = MtmdNative.mtmd_get_output_embd(Handle);
            if (code != 0 || output is null)
            {
                throw new MtmdException(LlamaException.WithNativeReason($"Encoding the chunk failed (code {code})", capture.Text), code);
            }

            return new ReadOnlySpan<float>(output, checked(chunk.TokenCount * Model.InputEmbeddingLength)).ToArray();
        }
        finally
        {
            if (added)
            {
                chunk.Owner.Handle.DangerousRelease();
            }
        }
    }

    /// <summary>Whether the model wants non-causal attention while decoding this chunk (EvaluateChunk applies it).</summary>
    public bool UsesNonCausalDecode(MtmdChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ObjectDisposedException.ThrowIf(Handle.IsClosed, this);
        return MtmdNative.mtmd_decode_use_non_causal(Handle, chunk.Pointer);
    }

    public void Dispose() => Handle.Dispose();

    private int CountMarkers(string prompt)
    {
        var count = 0;
        for (var i = prompt.IndexOf(Marker, StringComparison.Ordinal); i >= 0; i = prompt.IndexOf(Marker, i + Marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
