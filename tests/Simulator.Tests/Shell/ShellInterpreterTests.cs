using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Tests.Shell;

/// <summary>What a script does in the one shell of the lab: expansions, pipes, redirections, lists, options, exit codes.</summary>
public sealed class ShellInterpreterTests
{
    private readonly TestMachine _machine = new();

    [Theory]
    [InlineData("echo 'a  b' \"c  d\" e\\ f", "a  b c  d e f\n")]
    [InlineData("X='1  2'; echo $X; echo \"$X\"", "1 2\n1  2\n")]
    [InlineData("echo ${UNSET:-fallback} ${HOME}", "fallback /home/u\n")]
    [InlineData("echo ~ ~/bin '~'", "/home/u /home/u/bin ~\n")]
    [InlineData("echo \"$(echo inner; echo lines)\"", "inner\nlines\n")]
    [InlineData("for w in $(echo one two); do echo $w; done", "one\ntwo\n")]
    [InlineData("echo $0 $#", "bash 0\n")]
    [InlineData("E=; echo [$E] [\"$E\"]", "[] []\n")]
    public async Task Words_expand_as_in_bash(string script, string expected)
    {
        var (stdout, _, code) = await _machine.RunAsync(script);

        Assert.Equal((expected, 0), (stdout, code));
    }

    [Fact]
    public async Task Dollar_dollar_is_the_process_id_the_machine_gives_the_shell()
    {
        var (stdout, _, _) = await new TestMachine(processId: 1).RunAsync("echo $$");

        Assert.Equal("1\n", stdout);
    }

    [Fact]
    public async Task Globs_match_the_machines_files_sorted_and_a_glob_that_matches_nothing_stays_as_written()
    {
        _machine.Memory.WriteFile("/tmp/b.conf", "");
        _machine.Memory.WriteFile("/tmp/a.conf", "");
        _machine.Memory.WriteFile("/tmp/c.txt", "");

        var (stdout, _, _) = await _machine.RunAsync("echo /tmp/*.conf; echo /tmp/*.none; echo '/tmp/*.conf'");

        Assert.Equal("/tmp/a.conf /tmp/b.conf\n/tmp/*.none\n/tmp/*.conf\n", stdout);
    }

    [Fact]
    public async Task A_pipeline_feeds_each_stage_the_output_of_the_one_before()
    {
        var (stdout, _, code) = await _machine.RunAsync("printf 'b\\na\\nb\\n' | sort | uniq -c | head -n 1");

        Assert.Equal(("      1 a\n", 0), (stdout, code));
    }

    [Fact]
    public async Task A_pipeline_has_the_status_of_its_last_stage_unless_pipefail_is_set()
    {
        var (plain, _, _) = await _machine.RunAsync("false | true; echo $?");
        var (pipefail, _, _) = await _machine.RunAsync("set -o pipefail; false | true; echo $?");
        var (negated, _, _) = await _machine.RunAsync("! false; echo $?");

        Assert.Equal(("0\n", "1\n", "0\n"), (plain, pipefail, negated));
    }

    [Fact]
    public async Task Output_redirections_write_append_and_merge_stderr()
    {
        var (stdout, _, _) = await _machine.RunAsync("echo one > /tmp/f; echo two >> /tmp/f; ls /nope > /tmp/g 2>&1; cat /tmp/f /tmp/g; echo gone > /dev/null");

        Assert.Equal("one\ntwo\nls: cannot access '/nope': No such file or directory\n", stdout);
    }

    [Fact]
    public async Task Input_comes_from_files_here_documents_and_here_strings()
    {
        _machine.Memory.WriteFile("/tmp/in", "from file\n");

        var (stdout, _, _) = await _machine.RunAsync("X=v\ncat < /tmp/in\ncat <<EOF\nexpanded $X\nEOF\ncat <<'EOF'\nliteral $X\nEOF\ncat <<< \"here $X\"");

        Assert.Equal("from file\nexpanded v\nliteral $X\nhere v\n", stdout);
    }

    [Fact]
    public async Task A_redirection_that_cannot_be_made_fails_the_command_with_the_shells_message()
    {
        var (_, stderr, code) = await _machine.RunAsync("echo x > /etc/owned; echo $? ; cat < /tmp/missing");

        Assert.Equal(1, code);
        Assert.Equal("bash: line 1: /etc/owned: Permission denied\nbash: line 1: /tmp/missing: No such file or directory\n", stderr);
    }

    [Fact]
    public async Task And_or_lists_run_the_next_command_by_the_status_of_the_last()
    {
        var (stdout, _, _) = await _machine.RunAsync("true && echo a || echo b; false && echo c || echo d; false || false || echo e");

        Assert.Equal("a\nd\ne\n", stdout);
    }

    [Fact]
    public async Task Set_e_ends_the_script_at_the_first_failing_command_but_not_in_conditions_or_and_or_lists()
    {
        var (stdout, _, code) = await _machine.RunAsync("set -e\nif false; then :; fi\nfalse || echo handled\nfalse && echo never\n! true\necho before\nfalse\necho after");

        Assert.Equal(("handled\nbefore\n", 1), (stdout, code));
    }

    [Fact]
    public async Task Set_u_ends_the_script_at_an_unset_variable()
    {
        var (stdout, stderr, code) = await _machine.RunAsync("set -u; echo ${UNSET:-ok}; echo $UNSET; echo after");

        Assert.Equal(("ok\n", "bash: line 1: UNSET: unbound variable\n", 1), (stdout, stderr, code));
    }

    [Theory]
    [InlineData(ShellFlavor.Bash, "bash: line 2: nosuch: command not found\n")]
    [InlineData(ShellFlavor.Dash, "sh: 2: nosuch: not found\n")]
    [InlineData(ShellFlavor.Ash, "sh: nosuch: not found\n")]
    public async Task A_command_that_is_not_found_exits_127_with_the_shells_own_words(ShellFlavor flavor, string message)
    {
        var (_, stderr, code) = await new TestMachine(flavor).RunAsync("true\nnosuch arg");

        Assert.Equal((message, 127), (stderr, code));
    }

    [Fact]
    public async Task Exit_ends_the_script_with_its_status_and_a_subshells_exit_ends_only_the_subshell()
    {
        var (stdout, _, code) = await _machine.RunAsync("(exit 3); echo $?; exit 300; echo never");

        Assert.Equal(("3\n", 44), (stdout, code));
    }

    [Fact]
    public async Task A_subshell_and_a_command_substitution_keep_their_variables_and_directory_to_themselves()
    {
        var (stdout, _, _) = await _machine.RunAsync("X=1; (X=2; cd /tmp); Y=$(X=3; echo $X); echo $X $Y; pwd");

        Assert.Equal("1 3\n/home/u\n", stdout);
    }

    [Fact]
    public async Task An_assignment_before_a_program_is_in_its_environment_only()
    {
        var (stdout, _, _) = await _machine.RunAsync("ONLY=here printenv ONLY; echo \"[${ONLY}]\"; export KEPT=yes; printenv KEPT");

        Assert.Equal("here\n[]\nyes\n", stdout);
    }

    [Fact]
    public async Task Cd_changes_the_directory_relative_paths_follow_it_and_a_missing_directory_fails()
    {
        var (stdout, stderr, _) = await _machine.RunAsync("cd /tmp && echo x > rel && cat /tmp/rel && pwd; cd /nowhere; echo $?");

        Assert.Equal(("x\n/tmp\n1\n", "bash: line 1: cd: /nowhere: No such file or directory\n"), (stdout, stderr));
    }

    [Fact]
    public async Task Loops_run_with_break_continue_and_until()
    {
        var (stdout, _, _) = await _machine.RunAsync("for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done; N=x; until [ \"$N\" = xxx ]; do N=${N}x; done; echo $N");

        Assert.Equal("1\n3\nxxx\n", stdout);
    }

    [Theory]
    [InlineData("test -d /tmp && [ -f /tmp/none ] || echo no-file", "no-file\n")]
    [InlineData("[ 3 -gt 2 -a abc != abd ] && echo yes", "yes\n")]
    [InlineData("[[ -n x ]] && [ -z '' ] && echo strings", "strings\n")]
    [InlineData("[ ! -e /tmp ] || echo exists", "exists\n")]
    public async Task Test_evaluates_files_strings_and_integers(string script, string expected)
    {
        var (stdout, _, _) = await _machine.RunAsync(script);

        Assert.Equal(expected, stdout);
    }

    [Fact]
    public async Task Test_with_a_missing_bracket_or_a_non_integer_is_an_error_with_status_2()
    {
        var (_, stderr, code) = await _machine.RunAsync("[ a = a; echo $?; [ x -eq 1 ]");

        Assert.Equal(2, code);
        Assert.Equal("bash: line 1: [: missing `]'\nbash: line 1: [: x: integer expression expected\n", stderr);
    }

    [Fact]
    public async Task Command_v_finds_builtins_and_programs_and_fails_for_neither()
    {
        var (stdout, _, code) = await _machine.RunAsync("command -v echo; command -v grep; command -v nosuch");

        Assert.Equal(("echo\n/usr/bin/grep\n", 1), (stdout, code));
    }

    [Fact]
    public async Task Eval_runs_in_this_shell_and_exec_ends_it_with_the_commands_status()
    {
        var (stdout, _, code) = await _machine.RunAsync("eval 'X=from-eval'; echo $X; exec sh -c 'exit 5'; echo never");

        Assert.Equal(("from-eval\n", 5), (stdout, code));
    }

    [Fact]
    public async Task A_shell_run_as_a_program_takes_its_script_from_c_a_file_or_stdin_and_its_options()
    {
        _machine.Memory.WriteFile("/tmp/s.sh", "echo from-file\n");

        var (stdout, _, code) = await _machine.RunAsync("bash -c 'echo from-c'; sh /tmp/s.sh; echo 'echo from-stdin' | bash -s; bash -eo pipefail -c 'false | true; echo unreachable'", "");

        Assert.Equal(("from-c\nfrom-file\nfrom-stdin\n", 1), (stdout, code));
    }

    [Fact]
    public async Task A_syntax_error_is_reported_by_the_shell_with_status_2()
    {
        var (_, stderr, code) = await _machine.RunAsync("echo 'open");

        Assert.Equal(("bash: line 1: unexpected EOF while looking for matching `''\n", 2), (stderr, code));
    }

    [Fact]
    public async Task Sleep_lets_modeled_time_pass_on_the_machine()
    {
        var (_, _, code) = await _machine.RunAsync("sleep 1.5; sleep 2m");

        Assert.Equal((0, TimeSpan.FromSeconds(121.5)), (code, _machine.Elapsed));
    }
}
