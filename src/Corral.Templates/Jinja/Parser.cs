namespace Corral.Templates.Jinja;

/// <summary>Recursive-descent parser with Jinja2's operator precedence (filters and tests bind tighter than math).</summary>
internal sealed class Parser
{
    private static readonly HashSet<string> CompareOps = ["==", "!=", "<", "<=", ">", ">="];

    private readonly List<Token> _tokens;
    private int _pos;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static List<Node> Parse(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        var body = parser.ParseBody([], out _);
        return body;
    }

    private Token Peek => _tokens[_pos];

    private Token PeekAt(int offset) => _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos++];

    private JinjaException Error(string message) => new($"template syntax error at line {Peek.Line}: {message}");

    private Token Expect(TokenKind kind, string? value = null)
    {
        var t = Peek;
        if (t.Kind != kind || (value is not null && t.Value != value))
        {
            throw Error($"expected {value ?? kind.ToString()}, got {t}");
        }

        return Next();
    }

    private bool AcceptOp(string op)
    {
        if (Peek.IsOp(op))
        {
            _pos++;
            return true;
        }

        return false;
    }

    private bool AcceptName(string name)
    {
        if (Peek.IsName(name))
        {
            _pos++;
            return true;
        }

        return false;
    }

    private string ExpectName() => Expect(TokenKind.Name).Value;

    private List<Node> ParseBody(string[] endNames, out string endName)
    {
        var nodes = new List<Node>();
        while (true)
        {
            var t = Peek;
            switch (t.Kind)
            {
                case TokenKind.Text:
                    Next();
                    nodes.Add(new TextNode(t.Value));
                    break;
                case TokenKind.VarBegin:
                    Next();
                    nodes.Add(new OutputNode(ParseTuple(withCondExpr: true)));
                    Expect(TokenKind.VarEnd);
                    break;
                case TokenKind.BlockBegin:
                    var keyword = PeekAt(1);
                    if (keyword.Kind == TokenKind.Name && Array.IndexOf(endNames, keyword.Value) >= 0)
                    {
                        _pos += 2;
                        endName = keyword.Value;
                        return nodes;
                    }

                    Next();
                    nodes.Add(ParseStatement());
                    break;
                case TokenKind.Eof:
                    if (endNames.Length > 0)
                    {
                        throw Error($"unexpected end of template, expected {string.Join(" or ", endNames)}");
                    }

                    endName = "";
                    return nodes;
                default:
                    throw Error($"unexpected {t}");
            }
        }
    }

    private Node ParseStatement()
    {
        StackGuard.Ensure();
        var keyword = Expect(TokenKind.Name);
        switch (keyword.Value)
        {
            case "if": return ParseIf();
            case "for": return ParseFor();
            case "set": return ParseSet();
            case "macro": return ParseMacro();
            case "break":
                Expect(TokenKind.BlockEnd);
                return new LoopControlNode(LoopSignal.Break);
            case "continue":
                Expect(TokenKind.BlockEnd);
                return new LoopControlNode(LoopSignal.Continue);
            case "filter":
                {
                    var filters = ParseFilterChain();
                    Expect(TokenKind.BlockEnd);
                    var body = ParseBody(["endfilter"], out _);
                    Expect(TokenKind.BlockEnd);
                    return new FilterBlockNode(filters, body);
                }

            case "generation":
                {
                    Expect(TokenKind.BlockEnd);
                    var body = ParseBody(["endgeneration"], out _);
                    Expect(TokenKind.BlockEnd);
                    return new PassThroughNode(body);
                }

            default:
                _pos--;
                throw Error($"unknown tag '{keyword.Value}'");
        }
    }

    private IfNode ParseIf()
    {
        var branches = new List<(Expr, List<Node>)>();
        List<Node>? otherwise = null;
        var test = ParseTuple(withCondExpr: true);
        Expect(TokenKind.BlockEnd);
        while (true)
        {
            var body = ParseBody(["elif", "else", "endif"], out var end);
            branches.Add((test, body));
            if (end == "elif")
            {
                test = ParseTuple(withCondExpr: true);
                Expect(TokenKind.BlockEnd);
                continue;
            }

            Expect(TokenKind.BlockEnd);
            if (end == "else")
            {
                otherwise = ParseBody(["endif"], out _);
                Expect(TokenKind.BlockEnd);
            }

            return new IfNode(branches, otherwise);
        }
    }

    private ForNode ParseFor()
    {
        var targets = ParseTargetNames();
        Expect(TokenKind.Name, "in");
        var iterable = ParseTuple(withCondExpr: false);
        Expr? filter = null;
        if (AcceptName("if"))
        {
            filter = ParseExpression();
        }

        if (AcceptName("recursive"))
        {
            throw Error("recursive loops are not supported");
        }

        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["else", "endfor"], out var end);
        Expect(TokenKind.BlockEnd);
        List<Node>? otherwise = null;
        if (end == "else")
        {
            otherwise = ParseBody(["endfor"], out _);
            Expect(TokenKind.BlockEnd);
        }

        return new ForNode(targets, iterable, filter, body, otherwise);
    }

    private List<string> ParseTargetNames()
    {
        var parenthesised = AcceptOp("(");
        var names = new List<string> { ExpectName() };
        while (AcceptOp(","))
        {
            if (Peek.Kind != TokenKind.Name)
            {
                break;
            }

            names.Add(ExpectName());
        }

        if (parenthesised)
        {
            Expect(TokenKind.Operator, ")");
        }

        return names;
    }

    private Node ParseSet()
    {
        Expr? namespaceTarget = null;
        List<string> names;
        if (Peek.Kind == TokenKind.Name && PeekAt(1).IsOp("."))
        {
            namespaceTarget = new NameExpr(ExpectName());
            Expect(TokenKind.Operator, ".");
            names = [ExpectName()];
        }
        else
        {
            names = ParseTargetNames();
        }

        if (AcceptOp("="))
        {
            var value = ParseTuple(withCondExpr: true);
            Expect(TokenKind.BlockEnd);
            return new SetNode(names, namespaceTarget, value);
        }

        var filters = Peek.IsOp("|") ? ParseFilterChain() : [];
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endset"], out _);
        Expect(TokenKind.BlockEnd);
        return new SetBlockNode(names[0], namespaceTarget, filters, body);
    }

    private MacroNode ParseMacro()
    {
        var name = ExpectName();
        var parameters = new List<string>();
        var defaults = new List<Expr?>();
        Expect(TokenKind.Operator, "(");
        while (!AcceptOp(")"))
        {
            if (parameters.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOp(")"))
                {
                    break;
                }
            }

            parameters.Add(ExpectName());
            defaults.Add(AcceptOp("=") ? ParseExpression() : null);
        }

        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endmacro"], out _);
        if (Peek.Kind == TokenKind.Name)
        {
            Next();
        }

        Expect(TokenKind.BlockEnd);
        return new MacroNode(name, parameters, defaults, body);
    }

    private List<FilterExpr> ParseFilterChain()
    {
        var filters = new List<FilterExpr>();
        var first = true;
        while (first || AcceptOp("|"))
        {
            AcceptOp("|");
            first = false;
            var name = ParseDottedName();
            var args = Peek.IsOp("(") ? ParseCallArgs() : CallArgExprs.Empty;
            filters.Add(new FilterExpr(new ConstExpr(null), name, args));
        }

        return filters;
    }

    // ---- expressions ----

    /// <summary>An expression that may be an unparenthesised tuple ("a, b").</summary>
    private Expr ParseTuple(bool withCondExpr)
    {
        var line = Peek.Line;
        var first = withCondExpr ? ParseExpression() : ParseOr();
        if (!Peek.IsOp(","))
        {
            return first;
        }

        var items = new List<Expr> { first };
        while (AcceptOp(","))
        {
            if (Peek.Kind is TokenKind.BlockEnd or TokenKind.VarEnd || Peek.IsName("if"))
            {
                break;
            }

            items.Add(withCondExpr ? ParseExpression() : ParseOr());
        }

        return new ListExpr(items, isTuple: true) { Line = line };
    }

    private Expr ParseExpression()
    {
        StackGuard.Ensure();
        var expr = ParseOr();
        while (AcceptName("if"))
        {
            var test = ParseOr();
            Expr? otherwise = AcceptName("else") ? ParseExpression() : null;
            expr = new CondExpr(test, expr, otherwise);
        }

        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (AcceptName("or"))
        {
            left = new BinaryExpr("or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (AcceptName("and"))
        {
            left = new BinaryExpr("and", left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        StackGuard.Ensure();
        return AcceptName("not") ? new UnaryExpr("not", ParseNot()) : ParseCompare();
    }

    private Expr ParseCompare()
    {
        var left = ParseMath1();
        while (true)
        {
            var t = Peek;
            if (t.Kind == TokenKind.Operator && CompareOps.Contains(t.Value))
            {
                Next();
                left = new BinaryExpr(t.Value, left, ParseMath1());
            }
            else if (t.IsName("in"))
            {
                Next();
                left = new BinaryExpr("in", left, ParseMath1());
            }
            else if (t.IsName("not") && PeekAt(1).IsName("in"))
            {
                _pos += 2;
                left = new BinaryExpr("notin", left, ParseMath1());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (Peek.IsOp("+") || Peek.IsOp("-"))
        {
            var op = Next().Value;
            left = new BinaryExpr(op, left, ParseConcat());
        }

        return left;
    }

    private Expr ParseConcat()
    {
        var first = ParseMath2();
        if (!Peek.IsOp("~"))
        {
            return first;
        }

        var parts = new List<Expr> { first };
        while (AcceptOp("~"))
        {
            parts.Add(ParseMath2());
        }

        return new ConcatExpr(parts);
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Peek.IsOp("*") || Peek.IsOp("/") || Peek.IsOp("//") || Peek.IsOp("%"))
        {
            var op = Next().Value;
            left = new BinaryExpr(op, left, ParsePow());
        }

        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary(withFilter: true);
        while (AcceptOp("**"))
        {
            left = new BinaryExpr("**", left, ParseUnary(withFilter: true));
        }

        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        StackGuard.Ensure();
        Expr node;
        if (AcceptOp("-"))
        {
            node = new UnaryExpr("-", ParseUnary(withFilter: false));
        }
        else if (AcceptOp("+"))
        {
            node = new UnaryExpr("+", ParseUnary(withFilter: false));
        }
        else
        {
            node = ParsePostfix(ParsePrimary());
        }

        return withFilter ? ParseFilterExpr(node) : node;
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Name:
                return t.Value switch
                {
                    "true" or "True" => new ConstExpr(true),
                    "false" or "False" => new ConstExpr(false),
                    "none" or "None" => new ConstExpr(null),
                    _ => new NameExpr(t.Value) { Line = t.Line },
                };
            case TokenKind.String:
                {
                    var s = t.Value;
                    while (Peek.Kind == TokenKind.String)
                    {
                        s += Next().Value;
                    }

                    return new ConstExpr(s);
                }

            case TokenKind.Integer:
                return new ConstExpr(long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? (object)l : double.Parse(t.Value, CultureInfo.InvariantCulture));
            case TokenKind.Float:
                return new ConstExpr(double.Parse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            case TokenKind.Operator when t.Value == "(":
                {
                    if (AcceptOp(")"))
                    {
                        return new ListExpr([], isTuple: true);
                    }

                    var inner = ParseExpression();
                    if (AcceptOp(")"))
                    {
                        return inner;
                    }

                    var items = new List<Expr> { inner };
                    while (AcceptOp(","))
                    {
                        if (Peek.IsOp(")"))
                        {
                            break;
                        }

                        items.Add(ParseExpression());
                    }

                    Expect(TokenKind.Operator, ")");
                    return new ListExpr(items, isTuple: true);
                }

            case TokenKind.Operator when t.Value == "[":
                {
                    var items = new List<Expr>();
                    while (!AcceptOp("]"))
                    {
                        if (items.Count > 0)
                        {
                            Expect(TokenKind.Operator, ",");
                            if (AcceptOp("]"))
                            {
                                break;
                            }
                        }

                        items.Add(ParseExpression());
                    }

                    return new ListExpr(items, isTuple: false);
                }

            case TokenKind.Operator when t.Value == "{":
                {
                    var items = new List<(Expr, Expr)>();
                    while (!AcceptOp("}"))
                    {
                        if (items.Count > 0)
                        {
                            Expect(TokenKind.Operator, ",");
                            if (AcceptOp("}"))
                            {
                                break;
                            }
                        }

                        var key = ParseExpression();
                        Expect(TokenKind.Operator, ":");
                        items.Add((key, ParseExpression()));
                    }

                    return new DictExpr(items);
                }

            default:
                _pos--;
                throw Error($"unexpected {t}");
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (AcceptOp("."))
            {
                var t = Next();
                node = t.Kind switch
                {
                    TokenKind.Name => new AttrExpr(node, t.Value) { Line = t.Line },
                    TokenKind.Integer when long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) =>
                        new ItemExpr(node, new ConstExpr(index)),
                    // Python's ints have no limit; an index past long's can name no item, so look it up as an
                    // attribute (undefined), as Jinja falls back to getattr, instead of letting OverflowException out.
                    TokenKind.Integer => new AttrExpr(node, t.Value) { Line = t.Line },
                    _ => throw Error($"expected attribute name, got {t}"),
                };
            }
            else if (AcceptOp("["))
            {
                node = ParseSubscript(node);
            }
            else if (Peek.IsOp("("))
            {
                node = new CallExpr(node, ParseCallArgs());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node)
    {
        Expr? start = null, stop = null, step = null;
        if (!Peek.IsOp(":"))
        {
            start = ParseExpression();
            if (AcceptOp("]"))
            {
                return new ItemExpr(node, start);
            }
        }

        Expect(TokenKind.Operator, ":");
        if (!Peek.IsOp("]") && !Peek.IsOp(":"))
        {
            stop = ParseExpression();
        }

        if (AcceptOp(":") && !Peek.IsOp("]"))
        {
            step = ParseExpression();
        }

        Expect(TokenKind.Operator, "]");
        return new SliceExpr(node, start, stop, step);
    }

    private CallArgExprs ParseCallArgs()
    {
        Expect(TokenKind.Operator, "(");
        var args = new CallArgExprs();
        var first = true;
        while (!AcceptOp(")"))
        {
            if (!first)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOp(")"))
                {
                    break;
                }
            }

            first = false;
            if (Peek.Kind == TokenKind.Name && PeekAt(1).IsOp("="))
            {
                var name = Next().Value;
                Next();
                args.Named.Add((name, ParseExpression()));
            }
            else
            {
                args.Positional.Add(ParseExpression());
            }
        }

        return args;
    }

    private string ParseDottedName()
    {
        var name = ExpectName();
        while (Peek.IsOp(".") && PeekAt(1).Kind == TokenKind.Name)
        {
            Next();
            name += "." + Next().Value;
        }

        return name;
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (AcceptOp("|"))
            {
                var name = ParseDottedName();
                var args = Peek.IsOp("(") ? ParseCallArgs() : CallArgExprs.Empty;
                node = new FilterExpr(node, name, args);
            }
            else if (AcceptName("is"))
            {
                var negated = AcceptName("not");
                var name = Peek.Kind == TokenKind.Operator && CompareOps.Contains(Peek.Value) ? Next().Value : ParseDottedName();
                CallArgExprs args;
                if (Peek.IsOp("("))
                {
                    args = ParseCallArgs();
                }
                else if (StartsTestArgument(Peek))
                {
                    args = new CallArgExprs();
                    args.Positional.Add(ParsePostfix(ParsePrimary()));
                }
                else
                {
                    args = CallArgExprs.Empty;
                }

                node = new TestExpr(node, name, args, negated);
            }
            else if (Peek.IsOp("("))
            {
                node = new CallExpr(node, ParseCallArgs());
            }
            else
            {
                return node;
            }
        }
    }

    private static bool StartsTestArgument(Token t) => t.Kind switch
    {
        TokenKind.Name => t.Value is not ("else" or "or" or "and" or "is" or "if" or "in" or "not"),
        TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
        TokenKind.Operator => t.Value is "[" or "{",
        _ => false,
    };
}
