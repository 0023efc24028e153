using System.Text;
using Corral.Llama.Native;

namespace Corral.Llama;

/// <summary>
/// llama.cpp's built-in chat formatting (llama_chat_apply_template): recognises common templates by
/// pattern, it does not run Jinja. A fallback when a model has no Ollama template.
/// </summary>
public static class LlamaChatTemplate
{
    /// <param name="messages">The conversation to format, in order.</param>
    /// <param name="template">A template text (e.g. <see cref="LlamaModel.ChatTemplate"/>) or a built-in name ("chatml", "llama3", ...).</param>
    /// <param name="addAssistant">End with the prefix of an assistant turn.</param>
    /// <exception cref="LlamaException">The template is not one llama.cpp recognises.</exception>
    public static unsafe string Apply(string template, IReadOnlyList<LlamaChatMessage> messages, bool addAssistant)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(messages);
        LlamaBackend.EnsureInitialized();

        // Native strings must stay put for the call: one pinned buffer holds all of them.
        var offsets = new (int Role, int Content)[messages.Count];
        var all = new List<byte>();
        var templateBytes = Utf8.NullTerminated(template);
        var totalChars = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            offsets[i].Role = all.Count;
            all.AddRange(Utf8.NullTerminated(messages[i].Role));
            offsets[i].Content = all.Count;
            all.AddRange(Utf8.NullTerminated(messages[i].Content));
            totalChars += messages[i].Role.Length + messages[i].Content.Length;
        }

        var strings = all.ToArray();
        var native = new NativeChatMessage[messages.Count];
        var output = new byte[Math.Max(256, totalChars * 2 + 256)];
        fixed (byte* s = strings)
        fixed (byte* t = templateBytes)
        fixed (NativeChatMessage* chat = native)
        {
            for (var i = 0; i < native.Length; i++)
            {
                native[i].role = s + offsets[i].Role;
                native[i].content = s + offsets[i].Content;
            }

            var length = Call(t, chat, native.Length, addAssistant, output);
            if (length > output.Length)
            {
                output = new byte[length];
                length = Call(t, chat, native.Length, addAssistant, output);
            }

            if (length < 0)
            {
                throw new LlamaException("llama.cpp does not recognise this chat template");
            }

            return Encoding.UTF8.GetString(output, 0, length);
        }
    }

    private static unsafe int Call(byte* template, NativeChatMessage* chat, int count, bool addAssistant, byte[] output)
    {
        fixed (byte* o = output)
        {
            return LlamaNative.llama_chat_apply_template(template, chat, (nuint)count, addAssistant, o, output.Length);
        }
    }
}
