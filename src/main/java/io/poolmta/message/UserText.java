package io.poolmta.message;

/** User text made fit to be echoed in an error message: control characters as '?', long text cut. */
final class UserText {
    private UserText() {}

    static String shown(String text) {
        return shown(text, 64);
    }

    static String shown(String text, int maxCodePoints) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(maxCodePoints).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > maxCodePoints ? out + "..." : out.toString();
    }
}
