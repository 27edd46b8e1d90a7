using LabNet.Simulator.Cel;

namespace LabNet.Simulator.Tests.Cel;

/// <summary>
/// The CEL subset the twin implements, against the cases of cel-spec's conformance suite (tests/simple/testdata:
/// logic, integer_math, fp_math, comparisons, lists, macros, string, conversions), with cel-go's results where the
/// suite predates heterogeneous equality (which Kubernetes' cel-go has on).
/// </summary>
public sealed class CelConformanceTests
{
    [Theory]
    // logic: conditional
    [InlineData("true ? 1 : 2", "1")]
    [InlineData("false ? 'foo' : 'bar'", "'bar'")]
    [InlineData("2 / 0 > 4 ? 'baz' : 'quux'", "error: division by zero")]
    [InlineData("true ? 'cows' : 17", "'cows'")]
    [InlineData("'cows' ? false : 17", "error: found no matching overload for '_?_:_' applied to the given arguments")]
    // logic: AND, OR, NOT, commutative over errors
    [InlineData("true && true", "true")]
    [InlineData("false && true", "false")]
    [InlineData("true && false", "false")]
    [InlineData("false && 32", "false")]
    [InlineData("'horses' && false", "false")]
    [InlineData("false && (2 / 0 > 3 ? false : true)", "false")]
    [InlineData("(2 / 0 > 3 ? false : true) && false", "false")]
    [InlineData("true && 1/0 != 0", "error: division by zero")]
    [InlineData("1/0 != 0 && true", "error: division by zero")]
    [InlineData("'less filling' && 'tastes great'", "error: found no matching overload for '_&&_' applied to the given arguments")]
    [InlineData("true || 32", "true")]
    [InlineData("'horses' || true", "true")]
    [InlineData("(2 / 0 > 3 ? false : true) || true", "true")]
    [InlineData("false || 1/0 != 0", "error: division by zero")]
    [InlineData("false || false", "false")]
    [InlineData("!true", "false")]
    [InlineData("!false", "true")]
    // integer_math
    [InlineData("42", "42")]
    [InlineData("-42", "-42")]
    [InlineData("40 + 2", "42")]
    [InlineData("42 - 12", "30")]
    [InlineData("42u - 12u", "30u")]
    [InlineData("2 * 3 * 7", "42")]
    [InlineData("60 / 2", "30")]
    [InlineData("-7 / 2", "-3")]
    [InlineData("47 % 5", "2")]
    [InlineData("-7 % 2", "-1")]
    [InlineData("5 % 0", "error: modulus by zero")]
    [InlineData("1 / 0", "error: division by zero")]
    [InlineData("9223372036854775807 + 1", "error: integer overflow")]
    [InlineData("-9223372036854775808 - 1", "error: integer overflow")]
    [InlineData("-9223372036854775808 / -1", "error: integer overflow")]
    [InlineData("-(-9223372036854775808)", "error: integer overflow")]
    [InlineData("5000000000 * 5000000000", "error: integer overflow")]
    [InlineData("0u - 1u", "error: unsigned integer overflow")]
    [InlineData("18446744073709551615u + 1u", "error: unsigned integer overflow")]
    [InlineData("0x10", "16")]
    [InlineData("1 + 2u", "error: found no matching overload for '_+_' applied to the given arguments")]
    [InlineData("1 + 2.0", "error: found no matching overload for '_+_' applied to the given arguments")]
    // fp_math
    [InlineData("4.25 + 15.25", "19.5")]
    [InlineData("1.0 / 0.0", "+Inf")]
    [InlineData("-1.0 / 0.0", "-Inf")]
    [InlineData("2.5e1", "25.0")]
    [InlineData("-2.5", "-2.5")]
    // comparisons, with heterogeneous numbers
    [InlineData("1 == 1.0", "true")]
    [InlineData("1 == 1u", "true")]
    [InlineData("1u < 2.5", "true")]
    [InlineData("-1 < 0u", "true")]
    [InlineData("1 == 'a'", "false")]
    [InlineData("null == null", "true")]
    [InlineData("[1, 'a'] == [1, 'a']", "true")]
    [InlineData("[1, 2] == [2, 1]", "false")]
    [InlineData("{'a': 1, 'b': 2} == {'b': 2, 'a': 1}", "true")]
    [InlineData("'a' < 'b'", "true")]
    [InlineData("b'a' < b'b'", "true")]
    [InlineData("false < true", "true")]
    [InlineData("0.0/0.0 == 0.0/0.0", "false")]
    [InlineData("0.0/0.0 < 1.0", "false")]
    [InlineData("1 < 'a'", "error: found no matching overload for '_<_' applied to the given arguments")]
    [InlineData("2 in [1, 2, 3]", "true")]
    [InlineData("2.0 in [1, 2, 3]", "true")]
    [InlineData("'b' in {'a': 1, 'b': 2}", "true")]
    // lists and maps
    [InlineData("[0, 1, 2] + [3, 4, 5]", "[0, 1, 2, 3, 4, 5]")]
    [InlineData("[1, 2, 3][1]", "2")]
    [InlineData("[1, 2, 3][3]", "error: index out of bounds: 3")]
    [InlineData("size([1, 2, 3])", "3")]
    [InlineData("[1, 2, 3].size()", "3")]
    [InlineData("{'a': 1}['a']", "1")]
    [InlineData("{'a': 1}.a", "1")]
    [InlineData("{'a': 1}.b", "error: no such key: b")]
    [InlineData("{1: 'x'}[1.0]", "'x'")]
    [InlineData("{'a': 1, 'a': 2}", "error: Failed with repeated key: \"a\"")]
    // macros
    [InlineData("has({'a': 1}.a)", "true")]
    [InlineData("has({'a': 1}.b)", "false")]
    [InlineData("[1, 2, 3].exists(e, e == 2)", "true")]
    [InlineData("[1, 2, 3].exists(e, e > 3)", "false")]
    [InlineData("[1, 2, 3].exists(e, e / 0 == 17)", "error: division by zero")]
    [InlineData("[].exists(e, e == 2)", "false")]
    [InlineData("{'key1': 1, 'key2': 2}.exists(k, k == 'key2')", "true")]
    [InlineData("{'key': 1, 1: 21}.exists(k, k != 2)", "true")]
    [InlineData("[1, 2, 3].all(e, e > 0)", "true")]
    [InlineData("[1, 'foo', 3].all(e, e == 1)", "false")]
    [InlineData("[1, 'foo', 3].all(e, e % 2 == 1)", "error: found no matching overload for '_%_' applied to the given arguments")]
    [InlineData("[1, 2, 3].all(e, 6 / (2 - e) == 6)", "false")]
    [InlineData("[1, 2, 3].all(e, e / 0 != 17)", "error: division by zero")]
    [InlineData("[].all(e, e > 0)", "true")]
    [InlineData("[6, 7, 8].exists_one(foo, foo % 5 == 2)", "true")]
    [InlineData("[0, 1, 2, 3, 4].exists_one(n, n % 2 == 1)", "false")]
    [InlineData("[3, 2, 1, 0].exists_one(n, 12 / n > 1)", "error: division by zero")]
    [InlineData("{6: 'six', 7: 'seven', 8: 'eight'}.exists_one(foo, foo % 5 == 2)", "true")]
    [InlineData("[2, 4, 6].map(n, n / 2)", "[1, 2, 3]")]
    [InlineData("[2, 1, 0].map(n, 4 / n)", "error: division by zero")]
    [InlineData("{1: 1, 2: 4, 3: 9}.map(x, x * x)", "[1, 4, 9]")]
    [InlineData("[1, 2, 3, 4].map(x, x % 2 == 0, x * 10)", "[20, 40]")]
    [InlineData("[0, 1, 2, 3, 4].filter(x, x % 2 == 1)", "[1, 3]")]
    [InlineData("[3, 2, 1, 0].filter(n, 12 / n > 4)", "error: division by zero")]
    [InlineData("{0: 10, 1: 11, 2: 12, 3: 13, 4: 14}.filter(x, x % 2 == 1)", "[1, 3]")]
    // strings
    [InlineData("'hello' + ' ' + 'world'", "'hello world'")]
    [InlineData("size('héllo')", "5")]
    [InlineData("size('😀')", "1")]
    [InlineData("'foobar'.contains('oba')", "true")]
    [InlineData("'foobar'.startsWith('foo')", "true")]
    [InlineData("'foobar'.endsWith('bar')", "true")]
    [InlineData("'abc'.matches('^a.c$')", "true")]
    [InlineData("'abc'.matches('b')", "true")]
    [InlineData("matches('abc', 'x')", "false")]
    [InlineData("'\\u00e9' == 'é'", "true")]
    [InlineData("r'\\n' == '\\\\n'", "true")]
    [InlineData("'''a\nb''' == 'a\\nb'", "true")]
    [InlineData("\"\\x41\\101\"", "'AA'")]
    [InlineData("size(b'\\xff\\x00')", "2")]
    // conversions and types
    [InlineData("int('12')", "12")]
    [InlineData("int(2.7)", "2")]
    [InlineData("int(-2.7)", "-2")]
    [InlineData("int(1e20)", "error: range error")]
    [InlineData("uint(-1)", "error: range error")]
    [InlineData("double(3)", "3.0")]
    [InlineData("string(3.5)", "'3.5'")]
    [InlineData("string(1000000.0)", "'1e+06'")]
    [InlineData("string(123456.0)", "'123456'")]
    [InlineData("string(0.0001)", "'0.0001'")]
    [InlineData("string(0.00001)", "'1e-05'")]
    [InlineData("string(-42u)", "error: found no matching overload for '-_' applied to the given arguments")]
    [InlineData("string(b'abc')", "'abc'")]
    [InlineData("type(1) == int", "true")]
    [InlineData("type('a') == string", "true")]
    [InlineData("type([]) == list && type({}) == map && type(null) == null_type", "true")]
    [InlineData("string(type(1))", "'int'")]
    [InlineData("type(1) == type(2)", "true")]
    [InlineData("type('a') == type(1)", "false")]
    [InlineData("dyn(1) + 1", "2")]
    [InlineData("duration('1m') > duration('30s')", "true")]
    [InlineData("string(duration('1h30m'))", "'5400s'")]
    [InlineData("duration('1.5s') + duration('500ms')", "2s")]
    [InlineData("timestamp('2024-01-02T03:04:05Z') + duration('1h')", "2024-01-02T04:04:05Z")]
    [InlineData("timestamp('2024-01-02T03:04:05Z').getFullYear()", "2024")]
    [InlineData("timestamp('2024-01-02T03:04:05Z').getMonth()", "0")]
    [InlineData("timestamp('2024-01-02T03:04:05Z') - timestamp('2024-01-02T03:00:00Z')", "245s")]
    [InlineData("int(timestamp('1970-01-01T00:01:00Z'))", "60")]
    [InlineData("duration('1x')", "error: time: unknown unit \"x\" in duration \"1x\"")]
    [InlineData("duration('1')", "error: time: missing unit in duration \"1\"")]
    // optional values
    [InlineData("{'a': 1}.?a", "optional.of(1)")]
    [InlineData("{'a': 1}.?b.orValue(5)", "5")]
    [InlineData("optional.none().hasValue()", "false")]
    [InlineData("[1, ?optional.none(), ?optional.of(3)]", "[1, 3]")]
    public void Evaluates_like_cel_go(string expression, string expected) =>
        Assert.Equal(expected, CelRendering.Eval(expression));

    [Theory]
    [InlineData("1 +", "ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' expecting")]
    [InlineData("has(x)", "ERROR: <input>:1:1: Syntax error: invalid argument to has() macro")]
    [InlineData("[1].all(1, true)", "ERROR: <input>:1:9: Syntax error: argument must be a simple name")]
    [InlineData("a.if", "ERROR: <input>:1:3: Syntax error: reserved identifier: if")]
    [InlineData("'unterminated", "ERROR: <input>:1:1: Syntax error: token recognition error at: ''unterminated'")]
    [InlineData("1 2", "ERROR: <input>:1:3: Syntax error: extraneous input '2' expecting <EOF>")]
    public void Malformed_expressions_fail_to_parse_with_the_position(string expression, string expected)
    {
        var error = Assert.Throws<CelParseException>(() => CelProgram.Compile(expression));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Variables_and_comprehension_variables_resolve_innermost_first()
    {
        var self = new CelMap();
        self.TryAdd("steps", new CelList([20L, 50L, 50L]));

        var result = CelRendering.Eval("self.steps.all(s, self.steps.filter(t, t == s).size() == 1)", new Dictionary<string, object> { ["self"] = self });

        Assert.Equal("false", result);
    }

    [Fact]
    public void A_transition_rule_is_recognised_by_its_use_of_oldSelf()
    {
        Assert.True(CelProgram.Compile("self == oldSelf").References("oldSelf"));
        Assert.False(CelProgram.Compile("self.all(oldSelf, oldSelf > 0)").References("oldSelf"));
        Assert.False(CelProgram.Compile("self.x > 1").References("oldSelf"));
    }
}
