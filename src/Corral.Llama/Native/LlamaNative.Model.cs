using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Corral.Llama.Native;

// Model loading and model metadata.
internal static unsafe partial class LlamaNative
{
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial NativeModelParams llama_model_default_params();

    /// <returns>The model, or null on failure (the reason goes to the log callback).</returns>
    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_model_load_from_file(string pathModel, NativeModelParams parameters);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void llama_model_free(nint model);

    /// <returns>The vocab, owned by the model.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint llama_model_get_vocab(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial LlamaRopeType llama_model_rope_type(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_ctx_train(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_embd(SafeLlamaModelHandle model);

    /// <summary>Width of input embeddings (what a multimodal projector must produce).</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_embd_inp(SafeLlamaModelHandle model);

    /// <summary>Width of the embeddings llama_get_embeddings_ith/_seq return.</summary>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_embd_out(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_layer(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_head(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_head_kv(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_n_swa(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial uint llama_model_n_cls_out(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_meta_val_str(SafeLlamaModelHandle model, byte* key, byte* buf, nuint bufSize);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_meta_count(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_meta_key_by_index(SafeLlamaModelHandle model, int i, byte* buf, nuint bufSize);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_meta_val_str_by_index(SafeLlamaModelHandle model, int i, byte* buf, nuint bufSize);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_desc(SafeLlamaModelHandle model, byte* buf, nuint bufSize);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial LlamaFileType llama_model_ftype(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong llama_model_size(SafeLlamaModelHandle model);

    /// <param name="model">The loaded model.</param>
    /// <param name="name">Template name, or null for the default one.</param>
    /// <returns>NUL-terminated template owned by the model, or null.</returns>
    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* llama_model_chat_template(SafeLlamaModelHandle model, byte* name);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong llama_model_n_params(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_encoder(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_decoder(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int llama_model_decoder_start_token(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_is_recurrent(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_is_hybrid(SafeLlamaModelHandle model);
}
