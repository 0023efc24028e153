using Corral.Llama.Grammar;

namespace Corral.Llama.Tests.Grammar;

/// <summary>
/// A user's raw grammar is checked as llama.cpp's parser reads it, with the line and column of the first fault, so a
/// typo is a 400 the user can act on rather than a refusal from deep inside a runner.
/// </summary>
public sealed class GbnfSyntaxTests
{
    [Fact]
    public void Every_grammar_Corral_generates_is_accepted() => GbnfSyntax.Check(JsonGrammar.ForAnyJson());

    [Theory]
    [MemberData(nameof(TestSchemas.Names), MemberType = typeof(TestSchemas))]
    public void Every_schema_grammar_is_accepted(string schemaName) =>
        GbnfSyntax.Check(JsonSchemaGrammar.Convert(TestSchemas.All[schemaName]));

    [Theory]
    [InlineData("root ::= \"yes\" | \"no\"")]
    [InlineData("# a comment\nroot ::= item+ # trailing\nitem ::= [a-z0-9\\-] | \"\\x41\\u00e9\\U0001F600\\t\\n\\\\\"\r\n")]
    [InlineData("root ::= ( \"a\"\n  | \"b\" ){2,5} [^\\]\"]* . x{0,}\nx ::= \"x\"{3}")]
    [InlineData("root ::= <[128009]> !<|eot_id|> \"z\"?")]
    public void Grammars_llama_cpp_reads_are_accepted(string grammar) => GbnfSyntax.Check(grammar);

    [Theory]
    [InlineData("root = \"a\"", "line 1, column 6: expecting ::=")]
    [InlineData("root ::= \"a\"\nitem ::= other", "line 2, column 10: undefined rule 'other'")]
    [InlineData("start ::= \"a\"", "the grammar has no 'root' rule")]
    [InlineData("", "the grammar has no 'root' rule")]
    [InlineData("root ::= \"a\\q\"", "line 1, column 12: unknown escape")]
    [InlineData("root ::= \"abc", "line 1, column 14: unexpected end of input")]
    [InlineData("root ::= [a-", "line 1, column 13: unexpected end of input")]
    [InlineData("root ::= * \"a\"", "line 1, column 10: expecting an item before '*'")]
    [InlineData("root ::= \"a\" | + \"b\"", "line 1, column 16: expecting an item before '+'")]
    [InlineData("root ::= \"a\"{3,1}", "line 1, column 17: the maximum repetition count is below the minimum")]
    [InlineData("root ::= \"a\"{2001}", "line 1, column 18: more than 2000 repetitions")]
    [InlineData("root ::= \"a\"{x}", "line 1, column 14: expecting an integer")]
    [InlineData("root ::= (\"a\" \"b\"", "line 1, column 18: expecting ')'")]
    [InlineData("root ::= \"a\" )", "line 1, column 14: expecting newline or end")]
    [InlineData("root ::= \"\\x4\"", "line 1, column 14: expecting 2 hex digits")]
    [InlineData("root ::= <[12a]>", "line 1, column 10: expecting a token id as <[123]>")]
    [InlineData("root_rule ::= \"a\"", "line 1, column 5: expecting ::=")]
    public void A_grammar_llama_cpp_refuses_is_refused_with_where(string grammar, string message)
    {
        var ex = Assert.Throws<GbnfSyntaxException>(() => GbnfSyntax.Check(grammar));
        Assert.Equal(message, ex.Message);
    }
}
