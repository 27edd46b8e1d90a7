using System.Globalization;
using System.Text;

namespace LabNet.Simulator.Cel;

public enum CelTokenKind
{
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Identifier,
    Punctuation,
    End,
}

public sealed record CelToken(CelTokenKind Kind, string Text, object? Value, int Position);

/// <summary>CEL's lexical grammar: numbers (decimal, hex, <c>u</c> suffix, exponents), quoted, triple-quoted, raw and byte strings with every escape, identifiers, operators and <c>//</c> comments.</summary>
public static class CelLexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "&&", "||", ".?", "<", ">", "!", "+", "-", "*", "/", "%", "?", ":", ".", ",", "[", "]", "(", ")", "{", "}"];

    public static List<CelToken> Tokenize(string source)
    {
        var tokens = new List<CelToken>();
        var i = 0;
        while (true)
        {
            while (i < source.Length)
            {
                if (char.IsWhiteSpace(source[i]))
                {
                    i++;
                }
                else if (source[i] == '/' && i + 1 < source.Length && source[i + 1] == '/')
                {
                    while (i < source.Length && source[i] != '\n')
                    {
                        i++;
                    }
                }
                else
                {
                    break;
                }
            }

            if (i >= source.Length)
            {
                tokens.Add(new CelToken(CelTokenKind.End, "<EOF>", null, i));
                return tokens;
            }

            var c = source[i];
            var start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < source.Length && char.IsAsciiDigit(source[i + 1])))
            {
                tokens.Add(Number(source, ref i));
            }
            else if (IsStringStart(source, i))
            {
                tokens.Add(StringLiteral(source, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < source.Length && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new CelToken(CelTokenKind.Identifier, source[start..i], null, start));
            }
            else
            {
                var op = Operators.FirstOrDefault(o => string.CompareOrdinal(source, i, o, 0, o.Length) == 0)
                    ?? throw Error(source, i, $"token recognition error at: '{c}'");
                i += op.Length;
                tokens.Add(new CelToken(CelTokenKind.Punctuation, op, null, start));
            }
        }
    }

    internal static CelParseException Error(string source, int position, string message)
    {
        var line = 1;
        var column = 0;
        for (var i = 0; i < position && i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                column = 0;
            }
            else
            {
                column++;
            }
        }

        return new CelParseException($"ERROR: <input>:{line}:{column + 1}: Syntax error: {message}");
    }

    private static bool IsStringStart(string s, int i)
    {
        var j = i;
        while (j < s.Length && j - i < 2 && s[j] is 'r' or 'R' or 'b' or 'B')
        {
            j++;
        }

        return j < s.Length && s[j] is '"' or '\'' && (j == i || IsPrefix(s[i..j]));
    }

    private static bool IsPrefix(string prefix) =>
        prefix.ToLowerInvariant() is "r" or "b" or "rb" or "br";

    private static CelToken Number(string s, ref int i)
    {
        var start = i;
        if (s[i] == '0' && i + 1 < s.Length && s[i + 1] is 'x' or 'X')
        {
            i += 2;
            while (i < s.Length && char.IsAsciiHexDigit(s[i]))
            {
                i++;
            }

            var hex = s[(start + 2)..i];
            if (i < s.Length && s[i] is 'u' or 'U')
            {
                i++;
                return ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u)
                    ? new CelToken(CelTokenKind.Uint, s[start..i], u, start)
                    : throw Error(s, start, $"invalid uint literal: {s[start..i]}");
            }

            return ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h) && h <= (ulong)long.MaxValue + 1
                ? new CelToken(CelTokenKind.Int, s[start..i], h, start)
                : throw Error(s, start, $"invalid int literal: {s[start..i]}");
        }

        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        var isDouble = false;
        if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
        {
            isDouble = true;
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < s.Length && s[j] is '+' or '-')
            {
                j++;
            }

            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                isDouble = true;
                i = j;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }
            }
        }

        var text = s[start..i];
        if (isDouble)
        {
            return new CelToken(CelTokenKind.Double, text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), start);
        }

        if (i < s.Length && s[i] is 'u' or 'U')
        {
            i++;
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u)
                ? new CelToken(CelTokenKind.Uint, s[start..i], u, start)
                : throw Error(s, start, $"invalid uint literal: {s[start..i]}");
        }

        // The magnitude is kept as ulong: -9223372036854775808 is a valid int literal only after its minus sign.
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= (ulong)long.MaxValue + 1
            ? new CelToken(CelTokenKind.Int, text, value, start)
            : throw Error(s, start, $"invalid int literal: {text}");
    }

    private static CelToken StringLiteral(string s, ref int i)
    {
        var start = i;
        var raw = false;
        var bytes = false;
        while (s[i] is 'r' or 'R' or 'b' or 'B')
        {
            raw |= s[i] is 'r' or 'R';
            bytes |= s[i] is 'b' or 'B';
            i++;
        }

        var quote = s[i];
        var triple = i + 2 < s.Length && s[i + 1] == quote && s[i + 2] == quote;
        var delimiter = triple ? new string(quote, 3) : quote.ToString();
        i += delimiter.Length;
        var buffer = new List<byte>();
        var text = new StringBuilder();
        while (true)
        {
            if (i >= s.Length || (!triple && s[i] is '\n' or '\r'))
            {
                throw Error(s, start, $"token recognition error at: '{s[start..Math.Min(i, s.Length)]}'");
            }

            if (string.CompareOrdinal(s, i, delimiter, 0, delimiter.Length) == 0)
            {
                i += delimiter.Length;
                break;
            }

            if (s[i] == '\\' && !raw)
            {
                Escape(s, ref i, text, buffer, bytes, start);
                continue;
            }

            var rune = Rune.GetRuneAt(s, i);
            Append(rune, text, buffer, bytes);
            i += rune.Utf16SequenceLength;
        }

        return bytes
            ? new CelToken(CelTokenKind.Bytes, s[start..i], new CelBytes([.. buffer]), start)
            : new CelToken(CelTokenKind.String, s[start..i], text.ToString(), start);
    }

    private static void Append(Rune rune, StringBuilder text, List<byte> buffer, bool bytes)
    {
        if (bytes)
        {
            Span<byte> utf8 = stackalloc byte[4];
            var n = rune.EncodeToUtf8(utf8);
            buffer.AddRange(utf8[..n].ToArray());
        }
        else
        {
            text.Append(rune.ToString());
        }
    }

    private static void Escape(string s, ref int i, StringBuilder text, List<byte> buffer, bool bytes, int start)
    {
        if (i + 1 >= s.Length)
        {
            throw Error(s, start, "invalid escape sequence");
        }

        var e = s[i + 1];
        char? simple = e switch
        {
            'a' => '\a', 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', 'v' => '\v',
            '\\' => '\\', '\'' => '\'', '"' => '"', '`' => '`', '?' => '?',
            _ => null,
        };
        if (simple is { } ch)
        {
            Append(new Rune(ch), text, buffer, bytes);
            i += 2;
            return;
        }

        int digits;
        int radix;
        switch (e)
        {
            case 'x' or 'X':
                (digits, radix) = (2, 16);
                i += 2;
                break;
            case 'u':
                (digits, radix) = (4, 16);
                i += 2;
                break;
            case 'U':
                (digits, radix) = (8, 16);
                i += 2;
                break;
            case >= '0' and <= '3':
                (digits, radix) = (3, 8);
                i += 1;
                break;
            default:
                throw Error(s, start, $"invalid escape sequence '\\{e}'");
        }

        if (i + digits > s.Length)
        {
            throw Error(s, start, "invalid escape sequence");
        }

        var value = 0;
        foreach (var d in s.AsSpan(i, digits))
        {
            var v = radix == 16 ? (char.IsAsciiHexDigit(d) ? Convert.ToInt32(d.ToString(), 16) : -1) : (d is >= '0' and <= '7' ? d - '0' : -1);
            if (v < 0)
            {
                throw Error(s, start, "invalid escape sequence");
            }

            value = value * radix + v;
        }

        i += digits;
        if (bytes && digits <= 3)
        {
            // \xHH and octal escapes are raw bytes in a bytes literal, code points in a string.
            buffer.Add((byte)value);
        }
        else if (Rune.IsValid(value))
        {
            Append(new Rune(value), text, buffer, bytes);
        }
        else
        {
            throw Error(s, start, "invalid unicode code point");
        }
    }
}
