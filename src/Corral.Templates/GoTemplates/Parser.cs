using System.Runtime.CompilerServices;

namespace Corral.Templates.GoTemplates;

/// <summary>Recursive-descent parser producing Go-shaped trees: the main tree plus {{define}}d ones.</summary>
internal sealed class Parser
{
    private readonly string _name;
    private readonly string _text;
    private readonly Func<string, bool> _isFunction;
    private List<Token> _tokens = [];
    private int _index;
    private readonly List<string> _vars = ["$"];
    private int _rangeDepth;

    public Parser(string name, string text, Func<string, bool> isFunction)
    {
        _name = name;
        _text = text;
        _isFunction = isFunction;
    }

    public Dictionary<string, ListNode> Defined { get; } = new(StringComparer.Ordinal);

    public ListNode Parse()
    {
        _tokens = new Lexer(_text, Error).Lex();
        var root = ParseList(topLevel: true, out var terminator);
        if (terminator is not null)
        {
            throw Error(terminator.Value.Position, $"unexpected {{{{{terminator.Value.Value}}}}}");
        }
        return root;
    }

    public TemplateParseException Error(int position, string message)
    {
        var (line, column) = LineColumn(_text, position);
        return new TemplateParseException(_name, line, column, message);
    }

    public static (int Line, int Column) LineColumn(string text, int position)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, position - lineStart + 1);
    }

    private Token Peek() => _tokens[_index];

    private Token Next() => _tokens[_index++];

    private Token PeekNonSpace()
    {
        var i = _index;
        while (_tokens[i].Kind == TokenKind.Space)
        {
            i++;
        }
        return _tokens[i];
    }

    private Token NextNonSpace()
    {
        var token = Next();
        while (token.Kind == TokenKind.Space)
        {
            token = Next();
        }
        return token;
    }

    private void ExpectRightDelim(string context)
    {
        var token = NextNonSpace();
        if (token.Kind != TokenKind.RightDelim)
        {
            throw Error(token.Position, $"unexpected {Describe(token)} in {context}");
        }
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.RightDelim => "\"}}\"",
        TokenKind.Space => "space",
        _ => $"\"{token.Value}\"",
    };

    /// <summary>Parses nodes until EOF, {{end}} or {{else}}; the terminating keyword token is returned (after "{{").</summary>
    private ListNode ParseList(bool topLevel, out Token? terminator)
    {
        EnsureStack(Peek().Position, "control structures nested too deeply");
        var list = new ListNode(Peek().Position);
        while (true)
        {
            var token = Next();
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    _index--;
                    terminator = null;
                    return list;
                case TokenKind.Text:
                    list.Nodes.Add(new TextNode(token.Position, token.Value));
                    continue;
                case TokenKind.LeftDelim:
                    var keyword = PeekNonSpace();
                    if (keyword.Kind == TokenKind.Keyword && keyword.Value is "end" or "else")
                    {
                        NextNonSpace();
                        terminator = keyword;
                        return list;
                    }
                    if (keyword.Kind == TokenKind.Keyword && keyword.Value == "define")
                    {
                        if (!topLevel)
                        {
                            throw Error(keyword.Position, "unexpected <define> in command");
                        }
                        NextNonSpace();
                        ParseDefine(keyword);
                        continue;
                    }
                    var node = ParseAction();
                    if (node is not null)
                    {
                        list.Nodes.Add(node);
                    }
                    continue;
                default:
                    throw Error(token.Position, $"unexpected {Describe(token)}");
            }
        }
    }

    private void ParseDefine(Token keyword)
    {
        var nameToken = NextNonSpace();
        if (nameToken.Kind is not (TokenKind.String or TokenKind.RawString))
        {
            throw Error(nameToken.Position, "name of template must be a string constant");
        }
        var name = Unquote(nameToken);
        ExpectRightDelim("define clause");
        var saved = new List<string>(_vars);
        _vars.Clear();
        _vars.Add("$");
        var body = ParseList(topLevel: false, out var terminator);
        if (terminator is not { Value: "end" })
        {
            throw Error(terminator?.Position ?? _text.Length, terminator is null ? "unexpected EOF" : "unexpected {{else}}");
        }
        ExpectRightDelim("end");
        _vars.Clear();
        _vars.AddRange(saved);
        AddDefinition(name, body, keyword.Position);
    }

    private void AddDefinition(string name, ListNode body, int position)
    {
        // Go lets a non-empty definition replace an empty one; two non-empty bodies are an error.
        if (Defined.TryGetValue(name, out var existing) && !IsEmpty(existing) && !IsEmpty(body))
        {
            throw Error(position, $"template: multiple definition of template \"{name}\"");
        }
        if (!Defined.ContainsKey(name) || !IsEmpty(body))
        {
            Defined[name] = body;
        }
    }

    private static bool IsEmpty(ListNode list) =>
        list.Nodes.All(n => n is TextNode t && string.IsNullOrWhiteSpace(t.Text));

    /// <summary>After "{{": a control structure, a template call or a plain action.</summary>
    private Node? ParseAction()
    {
        var token = PeekNonSpace();
        if (token.Kind == TokenKind.Keyword)
        {
            NextNonSpace();
            switch (token.Value)
            {
                case "if":
                    return ParseBranch(BranchKind.If, token);
                case "range":
                    return ParseBranch(BranchKind.Range, token);
                case "with":
                    return ParseBranch(BranchKind.With, token);
                case "template":
                    return ParseTemplate(token, isBlock: false);
                case "block":
                    return ParseTemplate(token, isBlock: true);
                case "break":
                case "continue":
                    if (_rangeDepth == 0)
                    {
                        throw Error(token.Position, $"{{{{{token.Value}}}}} outside {{{{range}}}}");
                    }
                    ExpectRightDelim(token.Value);
                    return new BreakNode(token.Position, token.Value == "continue");
            }
        }
        var pipe = ParsePipeline("command", allowDecl: true, allowTwoVars: false, endsAt: TokenKind.RightDelim);
        return new ActionNode(token.Position, pipe);
    }

    private BranchNode ParseBranch(BranchKind kind, Token keyword)
    {
        var mark = _vars.Count;
        var context = kind.ToString().ToLowerInvariant();
        var pipe = ParsePipeline(context, allowDecl: true, allowTwoVars: kind == BranchKind.Range, endsAt: TokenKind.RightDelim);
        if (kind == BranchKind.Range)
        {
            _rangeDepth++;
        }
        var list = ParseList(topLevel: false, out var terminator);
        if (kind == BranchKind.Range)
        {
            _rangeDepth--;
        }
        ListNode? elseList = null;
        if (terminator is null)
        {
            throw Error(_text.Length, "unexpected EOF");
        }
        if (terminator.Value.Value == "else")
        {
            var next = PeekNonSpace();
            // "{{else if ...}}" and "{{else with ...}}" chain: the nested branch consumes the shared {{end}}.
            if (next.Kind == TokenKind.Keyword && (next.Value == "if" && kind == BranchKind.If || next.Value == "with" && kind == BranchKind.With))
            {
                NextNonSpace();
                elseList = new ListNode(next.Position);
                elseList.Nodes.Add(ParseBranch(kind, next));
                _vars.RemoveRange(mark, _vars.Count - mark);
                return new BranchNode(keyword.Position, kind, pipe, list, elseList);
            }
            ExpectRightDelim("else");
            elseList = ParseList(topLevel: false, out terminator);
            if (terminator is not { Value: "end" })
            {
                throw Error(terminator?.Position ?? _text.Length, terminator is null ? "unexpected EOF" : "expected end; found {{else}}");
            }
        }
        ExpectRightDelim("end");
        _vars.RemoveRange(mark, _vars.Count - mark);
        return new BranchNode(keyword.Position, kind, pipe, list, elseList);
    }

    private TemplateNode ParseTemplate(Token keyword, bool isBlock)
    {
        var context = isBlock ? "block clause" : "template clause";
        var nameToken = NextNonSpace();
        if (nameToken.Kind is not (TokenKind.String or TokenKind.RawString))
        {
            throw Error(nameToken.Position, $"unexpected {Describe(nameToken)} in {context}");
        }
        var name = Unquote(nameToken);
        PipeNode? pipe = null;
        if (PeekNonSpace().Kind != TokenKind.RightDelim)
        {
            pipe = ParsePipeline(context, allowDecl: false, allowTwoVars: false, endsAt: TokenKind.RightDelim);
        }
        else
        {
            NextNonSpace();
        }
        if (isBlock)
        {
            var saved = new List<string>(_vars);
            _vars.Clear();
            _vars.Add("$");
            var body = ParseList(topLevel: false, out var terminator);
            if (terminator is not { Value: "end" })
            {
                throw Error(terminator?.Position ?? _text.Length, "unexpected EOF");
            }
            ExpectRightDelim("end");
            _vars.Clear();
            _vars.AddRange(saved);
            AddDefinition(name, body, keyword.Position);
        }
        return new TemplateNode(nameToken.Position, name, pipe);
    }

    /// <summary>Parses [decl] command ('|' command)* and consumes the closing token.</summary>
    private PipeNode ParsePipeline(string context, bool allowDecl, bool allowTwoVars, TokenKind endsAt)
    {
        var pipe = new PipeNode(PeekNonSpace().Position);
        if (allowDecl)
        {
            TryParseDeclaration(pipe, context, allowTwoVars);
        }
        while (true)
        {
            var token = PeekNonSpace();
            if (token.Kind == endsAt)
            {
                NextNonSpace();
                if (pipe.Commands.Count == 0)
                {
                    throw Error(token.Position, $"missing value for {context}");
                }
                return pipe;
            }
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen or TokenKind.Eof)
            {
                throw Error(token.Position, $"unexpected {Describe(token)} in {(endsAt == TokenKind.RightParen ? "parenthesized pipeline" : context)}");
            }
            var command = ParseCommand(context);
            pipe.Commands.Add(command);
            var after = PeekNonSpace();
            if (after.Kind == TokenKind.Pipe)
            {
                NextNonSpace();
                if (PeekNonSpace().Kind is TokenKind.RightDelim or TokenKind.RightParen)
                {
                    throw Error(after.Position, "missing command after pipe");
                }
            }
        }
    }

    private void TryParseDeclaration(PipeNode pipe, string context, bool allowTwoVars)
    {
        var start = _index;
        var first = NextNonSpace();
        if (first.Kind != TokenKind.Variable)
        {
            _index = start;
            return;
        }
        var op = NextNonSpace();
        if (op.Kind is TokenKind.Declare or TokenKind.Assign)
        {
            pipe.IsAssign = op.Kind == TokenKind.Assign;
            pipe.Decl.Add(DeclareVariable(first, pipe.IsAssign));
            return;
        }
        if (op.Kind == TokenKind.Comma)
        {
            if (!allowTwoVars)
            {
                throw Error(op.Position, $"too many declarations in {context}");
            }
            var second = NextNonSpace();
            var op2 = NextNonSpace();
            if (second.Kind != TokenKind.Variable || op2.Kind is not (TokenKind.Declare or TokenKind.Assign))
            {
                throw Error(second.Position, "range can only initialize variables");
            }
            pipe.IsAssign = op2.Kind == TokenKind.Assign;
            pipe.Decl.Add(DeclareVariable(first, pipe.IsAssign));
            pipe.Decl.Add(DeclareVariable(second, pipe.IsAssign));
            return;
        }
        _index = start;
    }

    private VariableNode DeclareVariable(Token token, bool isAssign)
    {
        if (isAssign)
        {
            UseVariable(token);
        }
        else
        {
            _vars.Add(token.Value);
        }
        return new VariableNode(token.Position, [token.Value]);
    }

    private void UseVariable(Token token)
    {
        if (!_vars.Contains(token.Value))
        {
            throw Error(token.Position, $"undefined variable \"{token.Value}\"");
        }
    }

    private CommandNode ParseCommand(string context)
    {
        var command = new CommandNode(PeekNonSpace().Position);
        while (true)
        {
            var token = PeekNonSpace();
            if (token.Kind is TokenKind.RightDelim or TokenKind.RightParen or TokenKind.Pipe)
            {
                break;
            }
            if (command.Args.Count > 0 && Peek().Kind != TokenKind.Space)
            {
                throw Error(token.Position, $"missing space? unexpected {Describe(token)} in operand");
            }
            NextNonSpace();
            command.Args.Add(ParseOperand(token, context));
        }
        if (command.Args.Count == 0)
        {
            throw Error(PeekNonSpace().Position, "empty command");
        }
        return command;
    }

    private Node ParseOperand(Token token, string context)
    {
        var term = ParseTerm(token, context);
        if (Peek().Kind != TokenKind.Field)
        {
            return term;
        }
        var chainPosition = Peek().Position;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field)
        {
            fields.Add(Next().Value[1..]);
        }
        return term switch
        {
            // Go positions a merged field or variable chain at its second segment.
            FieldNode f => new FieldNode(chainPosition, [.. f.Ident, .. fields]),
            VariableNode v => new VariableNode(chainPosition, [.. v.Ident, .. fields]),
            ConstantNode or NilNode or DotNode => throw Error(token.Position, $"unexpected . after term \"{term}\""),
            _ => new ChainNode(term.Position, term, [.. fields]),
        };
    }

    private Node ParseTerm(Token token, string context)
    {
        EnsureStack(token.Position, "max expression depth exceeded");
        switch (token.Kind)
        {
            case TokenKind.Identifier:
                if (!_isFunction(token.Value))
                {
                    throw Error(token.Position, $"function \"{token.Value}\" not defined");
                }
                return new IdentifierNode(token.Position, token.Value);
            case TokenKind.Dot:
                return new DotNode(token.Position);
            case TokenKind.Nil:
                return new NilNode(token.Position);
            case TokenKind.Variable:
                UseVariable(token);
                return new VariableNode(token.Position, [token.Value]);
            case TokenKind.Field:
                return new FieldNode(token.Position, [token.Value[1..]]);
            case TokenKind.Bool:
                return new ConstantNode(token.Position, TemplateValue.FromBool(token.Value == "true"), token.Value);
            case TokenKind.Number:
                return new ConstantNode(token.Position, ParseNumber(token), token.Value);
            case TokenKind.Char:
                var ch = GoLiterals.UnquoteChar(token.Value) ?? throw Error(token.Position, $"malformed character constant: {token.Value}");
                return new ConstantNode(token.Position, TemplateValue.FromInt(ch), token.Value);
            case TokenKind.String or TokenKind.RawString:
                return new ConstantNode(token.Position, TemplateValue.FromString(Unquote(token)), token.Value);
            case TokenKind.LeftParen:
                return ParsePipeline(context, allowDecl: true, allowTwoVars: false, endsAt: TokenKind.RightParen);
            default:
                throw Error(token.Position, $"unexpected {Describe(token)} in operand");
        }
    }

    /// <summary>
    /// Called where the parser recurses on nesting the text controls ({{if}} in {{if}}, parentheses): a template is
    /// untrusted input (a Modelfile, a pulled layer), and a few thousand levels would overflow the stack, which
    /// kills the process and cannot be caught. Go's parser stops parentheses at 10000 levels with this message.
    /// </summary>
    private void EnsureStack(int position, string message)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error(position, message);
        }
    }

    private TemplateValue ParseNumber(Token token) =>
        GoLiterals.ParseNumber(token.Value) ?? throw Error(token.Position, $"bad number syntax: \"{token.Value}\"");

    private string Unquote(Token token)
    {
        if (token.Kind == TokenKind.RawString)
        {
            return token.Value[1..^1];
        }
        return GoLiterals.UnquoteString(token.Value) ?? throw Error(token.Position, $"invalid syntax: {token.Value}");
    }
}
