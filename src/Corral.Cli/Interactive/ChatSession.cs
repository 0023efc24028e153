using System.Net;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Output;

namespace Corral.Cli.Interactive;

/// <summary>
/// The interactive <c>corral run</c> conversation: takes entered lines (slash commands, <c>"""</c> multi-line
/// messages, plain messages), keeps the message history and streams answers from <c>/api/chat</c>.
/// </summary>
internal sealed class ChatSession
{
    private readonly OllamaClient _client;
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly Func<CancellationToken> _beginAnswer;
    private readonly MultiLineInput _multiLine = new();

    /// <param name="client">The server the conversation talks to.</param>
    /// <param name="settings">The model and options of <c>corral run</c>.</param>
    /// <param name="output">Where answers are written.</param>
    /// <param name="error">Where errors and notices are written.</param>
    /// <param name="beginAnswer">Gives the token that Ctrl-C cancels while one answer streams.</param>
    public ChatSession(OllamaClient client, RunSettings settings, TextWriter output, TextWriter error, Func<CancellationToken> beginAnswer)
    {
        _client = client;
        Settings = settings;
        _out = output;
        _err = error;
        _beginAnswer = beginAnswer;
    }

    public RunSettings Settings { get; }

    /// <summary>Terminal width for word wrap (0: no wrap).</summary>
    public int WrapWidth { get; set; }

    public bool Colors { get; set; }

    /// <summary>">>> " normally, "... " inside a multi-line message.</summary>
    public string Prompt => _multiLine.IsOpen ? "... " : ">>> ";

    public bool InMultiLine => _multiLine.IsOpen;

    /// <summary>Abandons a half-entered multi-line message (Ctrl-C at the prompt).</summary>
    public void CancelMultiLine() => _multiLine.Reset();

    /// <summary>Handles one entered line; false when the session should end (/bye).</summary>
    public async Task<bool> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        if (_multiLine.IsOpen)
        {
            var purpose = _multiLine.Purpose;
            var finished = _multiLine.Feed(line);
            if (finished is null)
            {
                return true;
            }

            if (purpose == MultiLinePurpose.System)
            {
                SetSystem(finished);
                return true;
            }

            await SendAsync(finished, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var trimmed = line.Trim();
        if (SlashCommand.IsCommand(trimmed))
        {
            return await CommandAsync(SlashCommand.Parse(trimmed), cancellationToken).ConfigureAwait(false);
        }

        var text = _multiLine.Feed(line);
        if (text is not null && text.Trim().Length > 0)
        {
            await SendAsync(text, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Loads the model (an empty chat request) with a spinner, so the first answer does not wait for it.</summary>
    public async Task LoadModelAsync(CancellationToken cancellationToken)
    {
        await using var display = new ProgressDisplay(_err, !Console.IsErrorRedirected && Colors);
        display.Status(string.Empty);
        var request = new ChatRequest { Model = Settings.Model, Messages = [], KeepAlive = Settings.KeepAlive, Think = Settings.Think };
        await foreach (var _ in _client.ChatStreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
        }

        await display.StopAsync(clear: true).ConfigureAwait(false);
    }

    private async Task<bool> CommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        switch (command.Name)
        {
            case "/bye" or "/exit":
                return false;
            case "/?" or "/help":
                _out.Write(command.Arg(1) is "shortcut" or "shortcuts" ? SessionTexts.Shortcuts : SessionTexts.Help);
                break;
            case "/clear":
                Settings.Messages.Clear();
                if (!string.IsNullOrEmpty(Settings.System))
                {
                    Settings.Messages.Add(new Message { Role = "system", Content = Settings.System });
                }

                _out.WriteLine("Cleared session context");
                break;
            case "/set":
                Set(command);
                break;
            case "/show":
                await ShowAsync(command, cancellationToken).ConfigureAwait(false);
                break;
            case "/load":
                await LoadAsync(command, cancellationToken).ConfigureAwait(false);
                break;
            case "/save":
                await SaveAsync(command, cancellationToken).ConfigureAwait(false);
                break;
            default:
                _out.WriteLine($"Unknown command '{command.Name}'. Type /? for help");
                break;
        }

        return true;
    }

    private void Set(SlashCommand command)
    {
        var what = command.Arg(1);
        switch (what)
        {
            case "parameter":
                if (command.Words.Count < 4)
                {
                    _out.Write(SessionTexts.ParameterHelp);
                    return;
                }

                var name = command.Arg(2);
                var values = command.Words.Skip(3).ToList();
                if (Settings.SetParameter(name, values) is { } error)
                {
                    _out.WriteLine($"Couldn't set parameter: \"{error}\"");
                    return;
                }

                _out.WriteLine($"Set parameter '{name}' to '{string.Join(", ", values)}'");
                return;
            case "system":
                var text = command.Rest(2);
                if (text.StartsWith(MultiLineInput.Quote, StringComparison.Ordinal))
                {
                    var complete = _multiLine.Feed(text, MultiLinePurpose.System);
                    if (complete is not null)
                    {
                        SetSystem(complete);
                    }

                    return;
                }

                SetSystem(text.Trim('"'));
                return;
            case "format":
                if (command.Arg(2) != "json")
                {
                    _out.WriteLine("Invalid or missing format. For 'json' mode use '/set format json'");
                    return;
                }

                Settings.Format = "json";
                _out.WriteLine("Set format to 'json' mode.");
                return;
            case "noformat":
                Settings.Format = null;
                _out.WriteLine("Disabled format.");
                return;
            case "think":
                try
                {
                    Settings.Think = RunSettings.ParseThink(command.Arg(2));
                }
                catch (ArgumentException ex)
                {
                    _out.WriteLine(ex.Message);
                    return;
                }

                _out.WriteLine(Settings.Think.Value.Level is { } level ? $"Set 'think' mode to '{level}'." : "Set 'think' mode.");
                return;
            case "nothink":
                Settings.Think = ThinkValue.False;
                _out.WriteLine("Set 'nothink' mode.");
                return;
            case "verbose":
                Settings.Verbose = true;
                _out.WriteLine("Set 'verbose' mode.");
                return;
            case "quiet":
                Settings.Verbose = false;
                _out.WriteLine("Set 'quiet' mode.");
                return;
            case "wordwrap":
                Settings.WordWrap = true;
                _out.WriteLine("Set 'wordwrap' mode.");
                return;
            case "nowordwrap":
                Settings.WordWrap = false;
                _out.WriteLine("Set 'nowordwrap' mode.");
                return;
            case "history":
                Settings.History = true;
                return;
            case "nohistory":
                Settings.History = false;
                return;
            case "hidethinking":
                Settings.HideThinking = true;
                _out.WriteLine("Set 'hidethinking' mode.");
                return;
            case "nohidethinking":
                Settings.HideThinking = false;
                _out.WriteLine("Set 'nohidethinking' mode.");
                return;
            default:
                if (what.Length > 0)
                {
                    _out.WriteLine($"Unknown command '/set {what}'. Type /? for help");
                }
                else
                {
                    _out.Write(SessionTexts.SetHelp);
                }

                return;
        }
    }

    private void SetSystem(string text)
    {
        Settings.System = text;
        Settings.Messages.RemoveAll(m => m.Role == "system");
        Settings.Messages.Insert(0, new Message { Role = "system", Content = text });
        _out.WriteLine("Set system message.");
    }

    private async Task ShowAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        var what = command.Arg(1);
        if (what is not ("info" or "license" or "modelfile" or "parameters" or "system" or "template"))
        {
            if (what.Length > 0)
            {
                _out.WriteLine($"Unknown command '/show {what}'. Type /? for help");
            }
            else
            {
                _out.Write(SessionTexts.ShowHelp);
            }

            return;
        }

        ShowResponse show;
        try
        {
            show = await _client.ShowAsync(new ShowRequest { Model = Settings.Model, System = Settings.System, Options = Settings.Options() }, cancellationToken).ConfigureAwait(false);
        }
        catch (OllamaApiException ex)
        {
            _out.WriteLine($"error: {ex.ErrorMessage}");
            return;
        }

        switch (what)
        {
            case "info":
                _out.Write(ModelInfoPrinter.Format(show, verbose: false));
                break;
            case "license":
                _out.WriteLine(string.IsNullOrEmpty(show.License) ? "No license was specified for this model." : show.License);
                break;
            case "modelfile":
                _out.WriteLine(show.Modelfile);
                break;
            case "parameters":
                _out.WriteLine("Model defined parameters:");
                if (string.IsNullOrEmpty(show.Parameters))
                {
                    _out.WriteLine("No additional parameters were specified for this model.");
                }
                else
                {
                    _out.WriteLine(show.Parameters);
                }

                if (Settings.Parameters.Count > 0)
                {
                    _out.WriteLine();
                    _out.WriteLine("User defined parameters:");
                    foreach (var group in Settings.Parameters.GroupBy(p => p.Key))
                    {
                        var value = group.Count() > 1 ? "[" + string.Join(' ', group.Select(p => p.Value)) + "]" : group.First().Value;
                        _out.WriteLine($"{group.Key,-30} {value}");
                    }
                }

                break;
            case "system":
                var system = !string.IsNullOrEmpty(Settings.System) ? Settings.System : show.System;
                _out.WriteLine(string.IsNullOrEmpty(system) ? "No system message was specified for this model." : system);
                break;
            case "template":
                _out.WriteLine(string.IsNullOrEmpty(show.Template) ? "No prompt template was specified for this model." : show.Template);
                break;
        }
    }

    private async Task LoadAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Words.Count != 2)
        {
            _out.WriteLine("Usage:\n  /load <modelname>");
            return;
        }

        var previous = Settings.Model;
        Settings.Model = command.Arg(1);
        Settings.Messages.Clear();
        _out.WriteLine($"Loading model '{Settings.Model}'");
        try
        {
            var show = await _client.ShowAsync(new ShowRequest { Model = Settings.Model }, cancellationToken).ConfigureAwait(false);
            Settings.MultiModal = show.Capabilities?.Contains("vision") ?? false;
            await LoadModelAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OllamaApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            _out.WriteLine($"error: model '{Settings.Model}' not found");
            Settings.Model = previous;
        }
    }

    private async Task SaveAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        if (command.Words.Count != 2)
        {
            _out.WriteLine("Usage:\n  /save <modelname>");
            return;
        }

        var name = command.Arg(1);
        var request = new CreateRequest
        {
            Model = name,
            From = Settings.Model,
            System = Settings.System,
            Messages = Settings.Messages.Where(m => m.Role != "system").ToList(),
            Parameters = SavedParameters(),
        };
        try
        {
            await foreach (var _ in _client.CreateAsync(request, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (OllamaApiException ex)
        {
            _out.WriteLine($"error: {ex.ErrorMessage}");
            return;
        }

        _out.WriteLine($"Created new model '{name}'");
    }

    private Dictionary<string, System.Text.Json.JsonElement>? SavedParameters()
    {
        if (Settings.Parameters.Count == 0)
        {
            return null;
        }

        var commands = Settings.Parameters.Select(p => new Corral.Models.Modelfiles.ModelfileCommand(Corral.Models.Modelfiles.ModelfileCommandKind.Parameter, p.Value, p.Key));
        using var document = System.Text.Json.JsonDocument.Parse(Corral.Models.Modelfiles.ModelfileParameters.ToParamsJson(commands));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>Sends a user message with the history and streams the answer; Ctrl-C stops it, keeping the session.</summary>
    public async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]>? images = null;
        if (Settings.MultiModal)
        {
            string prompt;
            IReadOnlyList<(string Path, byte[] Bytes)> found;
            IReadOnlyList<string> missing;
            try
            {
                (prompt, found, missing) = ImagePaths.Extract(text);
            }
            catch (FormatException ex)
            {
                _err.WriteLine($"Error: {ex.Message}");
                return;
            }

            foreach (var path in missing)
            {
                _err.WriteLine($"No image at '{path}': it stays in the prompt as text.");
            }

            foreach (var (path, _) in found)
            {
                _out.WriteLine($"Added image '{path}'");
            }

            text = prompt;
            images = found.Count > 0 ? found.Select(i => i.Bytes).ToList() : null;
        }

        var message = new Message { Role = "user", Content = text, Images = images };
        Settings.Messages.Add(message);
        var request = new ChatRequest
        {
            Model = Settings.Model,
            Messages = Settings.Messages.ToList(),
            Format = Settings.FormatElement(),
            Options = Settings.Options(),
            KeepAlive = Settings.KeepAlive,
            Think = Settings.Think,
        };

        var answerToken = _beginAnswer();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, answerToken);
        var printer = new AnswerPrinter(_out, Settings.WordWrap ? WrapWidth : 0, Settings.HideThinking, Colors);
        var content = new System.Text.StringBuilder();
        var thinking = new System.Text.StringBuilder();
        ChatResponse? last = null;
        await using (var display = new ProgressDisplay(_err, !Console.IsErrorRedirected && Colors))
        {
            display.Status(string.Empty);
            var cleared = false;
            try
            {
                await foreach (var chunk in _client.ChatStreamAsync(request, linked.Token).ConfigureAwait(false))
                {
                    if (!cleared)
                    {
                        await display.StopAsync(clear: true).ConfigureAwait(false);
                        cleared = true;
                    }

                    last = chunk;
                    printer.Thinking(chunk.Message.Thinking);
                    printer.Content(chunk.Message.Content);
                    content.Append(chunk.Message.Content);
                    thinking.Append(chunk.Message.Thinking);
                }
            }
            catch (OperationCanceledException) when (answerToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: the answer stops here, the conversation goes on without it.
            }
            finally
            {
                await display.StopAsync(clear: true).ConfigureAwait(false);
            }
        }

        printer.Finish();
        if (last is null || !last.Done)
        {
            Settings.Messages.Remove(message);
            _out.WriteLine();
            return;
        }

        _out.Write("\n\n");
        _out.Flush();
        if (Settings.Verbose)
        {
            _err.Write(TimingSummary.Format(last.TotalDuration, last.LoadDuration, last.PromptEvalCount, last.PromptEvalDuration, last.EvalCount, last.EvalDuration));
            _err.Flush();
        }

        Settings.Messages.Add(new Message { Role = "assistant", Content = content.ToString(), Thinking = thinking.Length > 0 ? thinking.ToString() : null });
    }
}
