using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Tests.Shell;

/// <summary>How the shell reads a script: words and their quoting, expansions, operators, compound commands, errors.</summary>
public sealed class ShellParserTests
{
    private static SimpleCommandNode Simple(string script) => Assert.IsType<SimpleCommandNode>(Assert.Single(ShellParser.Parse(script).Items));

    [Fact]
    public void Single_quotes_keep_everything_literal_and_double_quotes_keep_expansions()
    {
        var command = Simple("echo 'a $X' \"b $Y\"");

        Assert.Equal([new LiteralPart("a $X", true)], command.Words[1].Parts);
        Assert.Equal([new LiteralPart("b ", true), new ParameterPart("Y", null, true)], command.Words[2].Parts.Where(p => p is not LiteralPart { Text: "" }));
    }

    [Fact]
    public void A_backslash_quotes_the_next_character_and_a_line_continuation_joins_lines()
    {
        var command = Simple("echo a\\ b \\\nc");

        Assert.Equal(3, command.Words.Count);
        Assert.Equal([new LiteralPart("a", false), new LiteralPart(" ", true), new LiteralPart("b", false)], command.Words[1].Parts);
        Assert.Equal("c", command.Words[2].PlainText);
    }

    [Fact]
    public void Parameters_defaults_specials_and_command_substitutions_are_parts_of_a_word()
    {
        var command = Simple("echo ${A:-x}$?$$ $(id -u) `hostname`");

        Assert.Equal([new ParameterPart("A", "x", false), new ParameterPart("?", null, false), new ParameterPart("$", null, false)], command.Words[1].Parts);
        Assert.Equal([new CommandSubstitutionPart("id -u", false)], command.Words[2].Parts);
        Assert.Equal([new CommandSubstitutionPart("hostname", false)], command.Words[3].Parts);
    }

    [Fact]
    public void Leading_assignments_are_assignments_and_later_ones_are_arguments()
    {
        var command = Simple("A=1 B=\"two\" env C=3");

        Assert.Equal(["A", "B"], command.Assignments.Select(a => a.Name));
        Assert.Equal(["env", "C=3"], command.Words.Select(w => w.PlainText));
    }

    [Fact]
    public void Redirections_carry_their_descriptor_operator_and_target()
    {
        var command = Simple("cmd >out 2>&1 <in 2>>log &>all");

        Assert.Equal([(1, ">", "out"), (2, ">&", "1"), (0, "<", "in"), (2, ">>", "log"), (1, "&>", "all")],
            command.Redirections.Select(r => (r.Fd, r.Operator, r.Target!.PlainText!)));
    }

    [Fact]
    public void A_here_document_reads_its_body_from_the_lines_after_and_a_quoted_delimiter_turns_expansion_off()
    {
        var expanded = Simple("cat <<EOF\nhello $USER\nEOF\n");
        var literal = Simple("cat <<'EOF'\nhello $USER\nEOF\n");
        var stripped = Simple("cat <<-EOF\n\tindented\n\tEOF\n");

        Assert.Equal(("hello $USER\n", true), (expanded.Redirections[0].HereDocument!.Body, expanded.Redirections[0].HereDocument!.Expand));
        Assert.False(literal.Redirections[0].HereDocument!.Expand);
        Assert.Equal("indented\n", stripped.Redirections[0].HereDocument!.Body);
    }

    [Fact]
    public void And_or_lists_pipelines_and_negation_nest_as_the_grammar_says()
    {
        var andOr = Assert.IsType<AndOrNode>(Assert.Single(ShellParser.Parse("! a | b && c || d").Items));

        var pipeline = Assert.IsType<PipelineNode>(andOr.First);
        Assert.True(pipeline.Negated);
        Assert.Equal(2, pipeline.Commands.Count);
        Assert.Equal(["&&", "||"], andOr.Rest.Select(r => r.Operator));
    }

    [Fact]
    public void Compound_commands_are_read_with_their_bodies()
    {
        var items = ShellParser.Parse("if a; then b; elif c; then d; else e; fi\nfor x in 1 2; do f; done\nwhile g; do h; done\n{ i; } >log\n(j)").Items;

        var ifNode = Assert.IsType<IfNode>(items[0]);
        Assert.Equal(2, ifNode.Branches.Count);
        Assert.NotNull(ifNode.Else);
        var forNode = Assert.IsType<ForNode>(items[1]);
        Assert.Equal(("x", 2), (forNode.Variable, forNode.Items.Count));
        Assert.False(Assert.IsType<WhileNode>(items[2]).Until);
        var group = Assert.IsType<GroupNode>(items[3]);
        Assert.False(group.Subshell);
        Assert.Single(group.Redirections);
        Assert.True(Assert.IsType<GroupNode>(items[4]).Subshell);
    }

    [Fact]
    public void Comments_are_skipped_and_lines_are_counted()
    {
        var items = ShellParser.Parse("# setup\na\n\nb # trailing\n").Items;

        Assert.Equal([2, 4], items.Select(i => i.Line));
    }

    [Theory]
    [InlineData("echo 'open", "line 1: unexpected EOF while looking for matching `''")]
    [InlineData("echo \"open", "line 1: unexpected EOF while looking for matching `\"'")]
    [InlineData("if true; then echo", "line 1: syntax error near unexpected token end of file (expected `fi')")]
    [InlineData("a &&\n&& b", "line 2: syntax error near unexpected token `&&'")]
    [InlineData("echo $((1+1))", "line 1: arithmetic expansion is not supported by the LabNet shell")]
    public void A_script_the_shell_cannot_read_is_a_syntax_error_naming_the_line(string script, string message)
    {
        var error = Assert.Throws<ShellSyntaxException>(() => ShellParser.Parse(script));

        Assert.Equal(message, error.Message);
    }
}
