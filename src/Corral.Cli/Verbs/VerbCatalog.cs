using Corral.Cli.Arguments;

namespace Corral.Cli.Verbs;

/// <summary>The client verbs, with the flags and help texts of the matching <c>ollama</c> commands.</summary>
internal static class VerbCatalog
{
    private static readonly FlagSpec Insecure = FlagSpec.Bool("insecure", "Use an insecure registry");

    public static VerbSpec Create { get; } = new("create", "Create a model", "create MODEL", ArgumentCount.Exactly(1),
    [
        FlagSpec.Text("file", "Name of the Modelfile (default \"Modelfile\")", 'f'),
        FlagSpec.Text("quantize", "Quantize model to this level (e.g. q4_K_M)", 'q'),
        FlagSpec.Text("draft-quantize", "Quantize draft model to this level"),
    ]);

    public static VerbSpec Show { get; } = new("show", "Show information for a model", "show MODEL", ArgumentCount.Exactly(1),
    [
        FlagSpec.Bool("license", "Show license of a model"),
        FlagSpec.Bool("modelfile", "Show Modelfile of a model"),
        FlagSpec.Bool("parameters", "Show parameters of a model"),
        FlagSpec.Bool("template", "Show template of a model"),
        FlagSpec.Bool("system", "Show system message of a model"),
        FlagSpec.Bool("verbose", "Show detailed model information", 'v'),
    ]);

    public static VerbSpec Run { get; } = new("run", "Run a model", "run MODEL [PROMPT]", ArgumentCount.AtLeast(1),
    [
        FlagSpec.Text("format", "Response format (e.g. json)"),
        FlagSpec.Bool("hidethinking", "Hide thinking output (if provided)"),
        Insecure,
        FlagSpec.Text("keepalive", "Duration to keep a model loaded (e.g. 5m)"),
        FlagSpec.Bool("nowordwrap", "Don't wrap words to the next line automatically"),
        FlagSpec.Text("think", "Enable thinking mode: true/false or high/medium/low for supported models", valueWhenBare: "true"),
        FlagSpec.Bool("verbose", "Show timings for response"),
    ]);

    public static VerbSpec Stop { get; } = new("stop", "Stop a running model", "stop MODEL", ArgumentCount.Exactly(1), []);

    public static VerbSpec Pull { get; } = new("pull", "Pull a model from a registry", "pull MODEL", ArgumentCount.Exactly(1), [Insecure]);

    public static VerbSpec Push { get; } = new("push", "Push a model to a registry", "push MODEL", ArgumentCount.Exactly(1), [Insecure]);

    public static VerbSpec List { get; } = new("list", "List models", "list", ArgumentCount.Between(0, 1), [], ["ls"]);

    public static VerbSpec Ps { get; } = new("ps", "List running models", "ps", ArgumentCount.Between(0, 1), []);

    public static VerbSpec Copy { get; } = new("cp", "Copy a model", "cp SOURCE DESTINATION", ArgumentCount.Exactly(2), []);

    public static VerbSpec Remove { get; } = new("rm", "Remove a model", "rm MODEL [MODEL...]", ArgumentCount.AtLeast(1), []);

    public static IReadOnlyList<VerbSpec> All { get; } = [Create, Show, Run, Stop, Pull, Push, List, Ps, Copy, Remove];

    public static VerbSpec? Find(string verb) => All.FirstOrDefault(v => v.Matches(verb));

    public const string RootHelp = """
        Large language model runner (Ollama-compatible)

        Usage:
          corral [flags]
          corral [command]

        Available Commands:
          serve       Start corral
          create      Create a model
          show        Show information for a model
          run         Run a model
          stop        Stop a running model
          pull        Pull a model from a registry
          push        Push a model to a registry
          list        List models
          ps          List running models
          cp          Copy a model
          rm          Remove a model
          keys        Manage API keys (CORRAL_API_KEYS_FILE)
          responses   List and delete stored responses and conversations
          gateway     Start a gateway in front of several corral servers (drain, resume, status)
          help        Help about any command

        Flags:
          -h, --help      help for corral
          -v, --version   Show version information

        Use "corral [command] --help" for more information about a command.
        """;
}
