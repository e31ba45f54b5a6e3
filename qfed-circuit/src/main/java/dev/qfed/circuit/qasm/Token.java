package dev.qfed.circuit.qasm;

/**
 * One lexical token. {@code endLine}/{@code endColumn} point just past its last character, so an error about
 * what should have followed it (a missing ';') can point there.
 */
record Token(Kind kind, String text, Pos pos, int endLine, int endColumn) {

    enum Kind {
        IDENT, INT, REAL, TIMING, STRING, HARDWARE_QUBIT, PRAGMA,
        LPAREN("("), RPAREN(")"), LBRACKET("["), RBRACKET("]"), LBRACE("{"), RBRACE("}"),
        SEMI(";"), COMMA(","), COLON(":"), DOT("."), ARROW("->"), AT("@"),
        PLUS("+"), MINUS("-"), STAR("*"), STARSTAR("**"), SLASH("/"), PERCENT("%"), CARET("^"),
        ASSIGN("="), COMPOUND_ASSIGN, EQ("=="), NE("!="), BANG("!"), LT("<"), LE("<="), GT(">"), GE(">="),
        AMP("&"), AMPAMP("&&"), PIPE("|"), PIPEPIPE("||"), TILDE("~"), SHL("<<"), SHR(">>"), PLUSPLUS("++"),
        EOF;

        private final String symbol;

        Kind() {
            this(null);
        }

        Kind(String symbol) {
            this.symbol = symbol;
        }

        /** How an error message names this kind when a token of it was expected. */
        String describe() {
            return switch (this) {
                case IDENT -> "a name";
                case INT -> "an integer";
                case REAL -> "a number";
                case STRING -> "a string";
                case EOF -> "end of file";
                default -> symbol == null ? name().toLowerCase(java.util.Locale.ROOT) : "'" + symbol + "'";
            };
        }
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isWord(String word) {
        return kind == Kind.IDENT && text.equals(word);
    }

    /** How an error message quotes this token. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of file";
            case STRING -> "string " + text;
            default -> "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'";
        };
    }
}
