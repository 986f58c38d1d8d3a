package io.poolmta.message;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC 5322 address-list (the value of a From, To, Cc or Bcc field, unfolded) into its
 * mailboxes: display names, quoted strings, comments (skipped), groups (their members are listed,
 * the group name is kept), obsolete routes ({@code <@a,@b:u@c>} gives {@code u@c}) and empty list
 * elements. It decodes nothing: encoded-words stay as written, quoted local parts keep their quotes.
 * It never fails: text it cannot make sense of comes back as an entry marked not well-formed, whose
 * {@code addrSpec} is that text, so a validator can name it.
 */
final class AddressList {
    /** One mailbox of the list. {@code group} is the name of the group it sits in, or null. */
    record Entry(String group, String displayName, String addrSpec, boolean wellFormed) {}

    private enum Kind {
        ATOM,
        QUOTED,
        LITERAL,
        SPECIAL
    }

    private record Token(Kind kind, String text, boolean spaceBefore, boolean broken) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }

        boolean isWord() {
            return kind != Kind.SPECIAL;
        }
    }

    private AddressList() {}

    static List<Entry> parse(String value) {
        List<Token> tokens = tokenize(value);
        List<Entry> entries = new ArrayList<>();
        String group = null;
        int i = 0;
        int n = tokens.size();
        while (i < n) {
            Token token = tokens.get(i);
            if (token.is(',')) {
                i++;
                continue;
            }
            if (token.is(';')) {
                group = null;
                i++;
                continue;
            }
            int start = i;
            while (i < n && !isListSpecial(tokens.get(i))) {
                i++;
            }
            if (i < n && tokens.get(i).is('<')) {
                String displayName = phrase(tokens, start, i);
                boolean wellFormed = noneBroken(tokens, start, i) && noStray(tokens, start, i);
                int addrStart = ++i;
                while (i < n && !tokens.get(i).is('>')) {
                    i++;
                }
                wellFormed &= i < n && noneBroken(tokens, addrStart, i) && noStray(tokens, addrStart, i);
                String addrSpec = addrSpec(tokens, skipRoute(tokens, addrStart, i), i);
                if (i < n) {
                    i++;
                }
                int junk = i;
                while (i < n && !tokens.get(i).is(',') && !tokens.get(i).is(';')) {
                    i++;
                }
                wellFormed &= junk == i;
                entries.add(new Entry(group, displayName, addrSpec, wellFormed));
            } else if (i < n && tokens.get(i).is(':')) {
                group = phrase(tokens, start, i);
                i++;
            } else if (i > start) {
                boolean wellFormed = noneBroken(tokens, start, i) && noStray(tokens, start, i);
                entries.add(new Entry(group, "", addrSpec(tokens, start, i), wellFormed));
            }
        }
        return entries;
    }

    private static boolean isListSpecial(Token token) {
        return token.is('<') || token.is(':') || token.is(',') || token.is(';');
    }

    private static boolean noneBroken(List<Token> tokens, int from, int to) {
        for (int i = from; i < to; i++) {
            if (tokens.get(i).broken()) {
                return false;
            }
        }
        return true;
    }

    /** Inside a mailbox, an unmatched '>' or '<' is a sign of garbage. */
    private static boolean noStray(List<Token> tokens, int from, int to) {
        for (int i = from; i < to; i++) {
            if (tokens.get(i).is('>') || tokens.get(i).is('<')) {
                return false;
            }
        }
        return true;
    }

    /** Skips an obsolete source route "@a,@b:" at the start of an angle-addr. */
    private static int skipRoute(List<Token> tokens, int from, int to) {
        if (from < to && tokens.get(from).is('@')) {
            for (int i = from; i < to; i++) {
                if (tokens.get(i).is(':')) {
                    return i + 1;
                }
            }
        }
        return from;
    }

    /** A display name: words joined as written, one space where there was white space or a comment. */
    private static String phrase(List<Token> tokens, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token token = tokens.get(i);
            if (token.spaceBefore() && !out.isEmpty()) {
                out.append(' ');
            }
            out.append(token.kind() == Kind.QUOTED ? unquote(token.text()) : token.text());
        }
        return out.toString();
    }

    /** An addr-spec: white space and comments dropped, except between two words, where it shows garbage. */
    private static String addrSpec(List<Token> tokens, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            Token token = tokens.get(i);
            if (token.spaceBefore()
                    && token.isWord()
                    && i > from
                    && tokens.get(i - 1).isWord()) {
                out.append(' ');
            }
            out.append(token.text());
        }
        return out.toString();
    }

    private static String unquote(String quoted) {
        int end = quoted.length() > 1 && quoted.endsWith("\"") ? quoted.length() - 1 : quoted.length();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < end; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < end) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        boolean space = false;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                i++;
            } else if (c == '(') {
                i = skipComment(s, i);
                space = true;
            } else if (c == '"' || c == '[') {
                char close = c == '"' ? '"' : ']';
                int end = i + 1;
                while (end < n && s.charAt(end) != close) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                boolean broken = end >= n;
                end = Math.min(end + 1, n);
                tokens.add(new Token(c == '"' ? Kind.QUOTED : Kind.LITERAL, s.substring(i, end), space, broken));
                space = false;
                i = end;
            } else if ("<>:;,@.".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, String.valueOf(c), space, false));
                space = false;
                i++;
            } else {
                int end = i;
                while (end < n && !isAtomEnd(s.charAt(end))) {
                    end++;
                }
                boolean broken = c == ')' || c == ']';
                end = Math.max(end, i + 1);
                tokens.add(new Token(Kind.ATOM, s.substring(i, end), space, broken));
                space = false;
                i = end;
            }
        }
        return tokens;
    }

    private static boolean isAtomEnd(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || "()<>[]:;@,.\"".indexOf(c) >= 0;
    }

    /** Index just past a (possibly nested) comment starting at {@code start}; the end if unterminated. */
    private static int skipComment(String s, int start) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return s.length();
    }
}
