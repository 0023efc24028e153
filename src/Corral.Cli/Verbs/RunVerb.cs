using System.Net;
using System.Text;
using Corral.Api.Client;
using Corral.Api.Json;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;
using Corral.Cli.Interactive;
using Corral.Cli.Output;

namespace Corral.Cli.Verbs;

/// <summary>
/// <c>corral run MODEL [PROMPT]</c>: one answer for a prompt given as arguments or piped on stdin, else an
/// interactive chat. Pulls the model first when the server does not have it.
/// </summary>
internal static class RunVerb
{
    public static async Task<int> RunAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var settings = new RunSettings
        {
            Model = args.Positionals[0],
            Format = args.String("format") is { Length: > 0 } format ? format : null,
            HideThinking = args.Bool("hidethinking"),
            Verbose = args.Bool("verbose"),
            WordWrap = !args.Bool("nowordwrap"),
        };
        if (args.String("keepalive") is { Length: > 0 } keepAlive)
        {
            settings.KeepAlive = KeepAlive.FromNanoseconds(GoDuration.Parse(keepAlive));
        }

        if (args.String("think") is { } think)
        {
            settings.Think = RunSettings.ParseThink(think);
        }

        var prompts = args.Positionals.Skip(1).ToList();
        var interactive = prompts.Count == 0;
        if (Console.IsInputRedirected)
        {
            // As ollama: piped text comes first, then the prompt arguments; an empty pipe adds nothing.
            var piped = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            if (piped.Length > 0)
            {
                prompts.Insert(0, piped);
            }

            interactive = false;
        }

        var show = await ShowOrPullAsync(client, settings.Model, args.Bool("insecure"), cancellationToken).ConfigureAwait(false);
        settings.MultiModal = show.Capabilities?.Contains("vision") ?? false;

        using var interrupt = new AnswerInterrupt();
        var colors = !Console.IsOutputRedirected;
        var width = colors ? Math.Max(ProgressDisplay.TerminalWidth() - 5, 0) : 0;
        if (!interactive)
        {
            return await OneShotAsync(client, settings, string.Join(' ', prompts), width, colors, interrupt, cancellationToken).ConfigureAwait(false);
        }

        var session = new ChatSession(client, settings, Console.Out, Console.Error, interrupt.Begin) { WrapWidth = width, Colors = colors };
        await session.LoadModelAsync(cancellationToken).ConfigureAwait(false);
        foreach (var message in show.Messages ?? [])
        {
            if (message.Role == "user")
            {
                Console.Out.WriteLine($">>> {message.Content}");
            }
            else if (message.Role == "assistant")
            {
                Console.Out.Write(message.Content + "\n\n");
            }

            settings.Messages.Add(message);
        }

        return await LoopAsync(session, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> LoopAsync(ChatSession session, CancellationToken cancellationToken)
    {
        var history = History.ForUser();
        ILineReader reader = Console.IsInputRedirected ? new PlainLineReader(Console.In, Console.Out) : new TerminalLineEditor(history);
        while (true)
        {
            history.Enabled = session.Settings.History;
            var (status, line) = reader.ReadLine(session.Prompt, session.InMultiLine ? null : SessionTexts.Placeholder);
            switch (status)
            {
                case LineStatus.EndOfInput:
                    return 0;
                case LineStatus.Interrupt:
                    if (line.Length == 0 && !session.InMultiLine)
                    {
                        Console.Out.WriteLine("Use Ctrl + d or /bye to exit.");
                    }

                    session.CancelMultiLine();
                    continue;
            }

            if (!await session.HandleLineAsync(line, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
    }

    private static async Task<int> OneShotAsync(
        OllamaClient client, RunSettings settings, string prompt, int width, bool colors, AnswerInterrupt interrupt, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]>? images = null;
        if (settings.MultiModal)
        {
            var (text, found, missing) = ImagePaths.Extract(prompt);
            foreach (var path in missing)
            {
                Console.Error.WriteLine($"No image at '{path}': it stays in the prompt as text.");
            }

            prompt = text;
            images = found.Count > 0 ? found.Select(i => i.Bytes).ToList() : null;
        }

        var request = new GenerateRequest
        {
            Model = settings.Model,
            Prompt = prompt,
            Images = images,
            Format = settings.FormatElement(),
            KeepAlive = settings.KeepAlive,
            Think = settings.Think,
            Options = settings.Options(),
        };

        var answerToken = interrupt.Begin();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, answerToken);
        var printer = new AnswerPrinter(Console.Out, settings.WordWrap ? width : 0, settings.HideThinking, colors);
        GenerateResponse? last = null;
        await using (var display = new ProgressDisplay(Console.Error, !Console.IsErrorRedirected))
        {
            display.Status(string.Empty);
            try
            {
                var first = true;
                await foreach (var chunk in client.GenerateStreamAsync(request, linked.Token).ConfigureAwait(false))
                {
                    if (first)
                    {
                        await display.StopAsync(clear: true).ConfigureAwait(false);
                        first = false;
                    }

                    last = chunk;
                    printer.Thinking(chunk.Thinking);
                    printer.Content(chunk.Response);
                }
            }
            catch (OperationCanceledException) when (answerToken.IsCancellationRequested)
            {
                printer.Finish();
                return 0;
            }
            finally
            {
                await display.StopAsync(clear: true).ConfigureAwait(false);
            }
        }

        printer.Finish();
        if (prompt.Length > 0)
        {
            Console.Out.Write("\n\n");
        }

        Console.Out.Flush();
        if (last is { Done: true } && settings.Verbose)
        {
            Console.Error.Write(TimingSummary.Format(last.TotalDuration, last.LoadDuration, last.PromptEvalCount, last.PromptEvalDuration, last.EvalCount, last.EvalDuration));
        }

        return 0;
    }

    private static async Task<ShowResponse> ShowOrPullAsync(OllamaClient client, string model, bool insecure, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ShowAsync(new ShowRequest { Model = model }, cancellationToken).ConfigureAwait(false);
        }
        catch (OllamaApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            await TransferVerbs.PullAsync(client, model, insecure, cancellationToken).ConfigureAwait(false);
            return await client.ShowAsync(new ShowRequest { Model = model }, cancellationToken).ConfigureAwait(false);
        }
    }
}
