package dev.qfed.circuit.qasm;

import dev.qfed.circuit.qasm.Token.Kind;

/**
 * Turns source text into tokens on demand. It knows no OpenQASM version: every word is an {@link Kind#IDENT}
 * and the parser decides which words are keywords, which literals the version allows and so on.
 */
final class Lexer {
    private final SourceText source;
    private final String s;
    private int i;
    private int line = 1;
    private int column = 1;

    Lexer(SourceText source) {
        this.source = source;
        this.s = source.text();
        if (s.startsWith("\uFEFF")) {
            i = 1;
        }
    }

    Token next() throws QasmException {
        skipSpaceAndComments();
        int startLine = line;
        int startColumn = column;
        int start = i;
        Pos pos = new Pos(source, startLine, startColumn);
        if (i >= s.length()) {
            return new Token(Kind.EOF, "", pos, line, column);
        }
        int cp = s.codePointAt(i);
        Kind kind;
        if (isIdentStart(cp)) {
            advanceWhile(Lexer::isIdentPart);
            kind = Kind.IDENT;
        } else if (isDigit(cp) || (cp == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1)))) {
            kind = number();
        } else if (cp == '"' || cp == '\'') {
            string(pos, (char) cp);
            kind = Kind.STRING;
        } else if (cp == '$' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
            advance();
            advanceWhile(Lexer::isDigit);
            kind = Kind.HARDWARE_QUBIT;
        } else if (cp == '#' && s.startsWith("pragma", i + 1)) {
            advance(7);
            kind = Kind.PRAGMA;
        } else {
            kind = punctuation(pos, cp);
        }
        return new Token(kind, s.substring(start, i), pos, line, column);
    }

    private Kind number() {
        boolean real = false;
        if (s.charAt(i) == '0' && i + 2 < s.length() && "xXbBoO".indexOf(s.charAt(i + 1)) >= 0
                && isAlnum(s.charAt(i + 2))) {
            advance(2); // 0x…, 0b…, 0o…: digits are checked when the parser reads the value
            advanceWhile(c -> isAlnum(c) || c == '_');
            return Kind.INT;
        }
        advanceWhile(c -> isDigit(c) || c == '_');
        if (i < s.length() && s.charAt(i) == '.') {
            real = true;
            advance();
            advanceWhile(c -> isDigit(c) || c == '_');
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < s.length() && isDigit(s.charAt(j))) {
                real = true;
                advance(j - i);
                advanceWhile(Lexer::isDigit);
            }
        }
        // OpenQASM 3 timing literals: 100ns, 2.5us, 1µs, 10dt, 1ms, 1s
        for (String unit : new String[] {"dt", "ns", "us", "µs", "μs", "ms", "s"}) {
            int end = i + unit.length();
            if (s.startsWith(unit, i) && (end >= s.length() || !isIdentPart(s.codePointAt(end)))) {
                advance(unit.length());
                return Kind.TIMING;
            }
        }
        return real ? Kind.REAL : Kind.INT;
    }

    private void string(Pos pos, char quote) throws QasmException {
        advance();
        while (i < s.length() && s.charAt(i) != quote) {
            if (s.charAt(i) == '\n' || s.charAt(i) == '\r') {
                break;
            }
            advance();
        }
        if (i >= s.length() || s.charAt(i) != quote) {
            throw pos.syntax("unterminated string: add the closing " + quote + " on the same line");
        }
        advance();
    }

    private Kind punctuation(Pos pos, int cp) throws QasmException {
        char next = i + 1 < s.length() ? s.charAt(i + 1) : '\0';
        Kind two = switch (cp) {
            case '-' -> next == '>' ? Kind.ARROW : next == '=' ? Kind.COMPOUND_ASSIGN : null;
            case '*' -> next == '*' ? Kind.STARSTAR : next == '=' ? Kind.COMPOUND_ASSIGN : null;
            case '=' -> next == '=' ? Kind.EQ : null;
            case '!' -> next == '=' ? Kind.NE : null;
            case '<' -> next == '=' ? Kind.LE : next == '<' ? Kind.SHL : null;
            case '>' -> next == '=' ? Kind.GE : next == '>' ? Kind.SHR : null;
            case '&' -> next == '&' ? Kind.AMPAMP : next == '=' ? Kind.COMPOUND_ASSIGN : null;
            case '|' -> next == '|' ? Kind.PIPEPIPE : next == '=' ? Kind.COMPOUND_ASSIGN : null;
            case '+' -> next == '+' ? Kind.PLUSPLUS : next == '=' ? Kind.COMPOUND_ASSIGN : null;
            case '/', '%', '^', '~' -> next == '=' ? Kind.COMPOUND_ASSIGN : null;
            default -> null;
        };
        if (two != null) {
            advance(2);
            if (two == Kind.COMPOUND_ASSIGN && i < s.length() && s.charAt(i) == '=' && cp == '*') {
                advance(); // **=
            }
            return two;
        }
        Kind one = switch (cp) {
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case ';' -> Kind.SEMI;
            case ',' -> Kind.COMMA;
            case ':' -> Kind.COLON;
            case '.' -> Kind.DOT;
            case '@' -> Kind.AT;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '*' -> Kind.STAR;
            case '/' -> Kind.SLASH;
            case '%' -> Kind.PERCENT;
            case '^' -> Kind.CARET;
            case '=' -> Kind.ASSIGN;
            case '!' -> Kind.BANG;
            case '<' -> Kind.LT;
            case '>' -> Kind.GT;
            case '&' -> Kind.AMP;
            case '|' -> Kind.PIPE;
            case '~' -> Kind.TILDE;
            default -> null;
        };
        if (one == null) {
            String shown = Character.isISOControl(cp) || Character.isWhitespace(cp)
                    ? String.format("U+%04X", cp) : "'" + Character.toString(cp) + "'";
            throw pos.syntax("unexpected character " + shown + "; remove it");
        }
        advance();
        return one;
    }

    private void skipSpaceAndComments() throws QasmException {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B') {
                advance();
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                    advance();
                }
            } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                Pos start = new Pos(source, line, column);
                advance(2);
                while (i < s.length() && !(s.charAt(i) == '*' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
                    advance();
                }
                if (i >= s.length()) {
                    throw start.syntax("unterminated comment: close it with */");
                }
                advance(2);
            } else {
                return;
            }
        }
    }

    private void advance(int n) {
        for (int k = 0; k < n; k++) {
            advance();
        }
    }

    /** One UTF-16 char; a line ends at \n, \r\n or a lone \r. */
    private void advance() {
        char c = s.charAt(i++);
        if (c == '\n' || (c == '\r' && (i >= s.length() || s.charAt(i) != '\n'))) {
            line++;
            column = 1;
        } else {
            column++;
        }
    }

    private void advanceWhile(java.util.function.IntPredicate p) {
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (!p.test(cp)) {
                return;
            }
            advance(Character.charCount(cp));
        }
    }

    private static boolean isIdentStart(int cp) {
        return cp == '_' || Character.isUnicodeIdentifierStart(cp);
    }

    private static boolean isIdentPart(int cp) {
        return cp == '_' || (Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp));
    }

    private static boolean isDigit(int cp) {
        return cp >= '0' && cp <= '9';
    }

    private static boolean isAlnum(int cp) {
        return isDigit(cp) || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    }
}
