namespace Corral.Templates.Jinja;

internal enum TokenKind
{
    Text,
    VarBegin,
    VarEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    Eof,
}

internal readonly record struct Token(TokenKind Kind, string Value, int Line)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsName(string name) => Kind == TokenKind.Name && Value == name;

    public bool IsOp(string op) => Kind == TokenKind.Operator && Value == op;

    public override string ToString() => Kind == TokenKind.Eof ? "end of template" : $"'{Value}'";
}
