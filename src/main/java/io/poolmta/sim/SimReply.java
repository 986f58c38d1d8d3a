package io.poolmta.sim;

import java.util.List;
import java.util.Objects;

/**
 * A reply a simulated provider sends, as a template: {@code {ip}} stands for the source address
 * and {@code {rcpt}} for the recipient. A text with several lines ({@code \n}) goes on the wire as
 * a multi-line reply ("421-…" then "421 …"), the way Gmail sends its long refusals; each line keeps
 * whatever the template put at its start (Gmail repeats the enhanced status code on every line).
 */
public record SimReply(int code, String text) {
    public SimReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("SMTP reply code out of range: " + code);
        }
        Objects.requireNonNull(text, "text");
        if (text.isBlank() || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("reply text must be non-blank lines separated by \\n: " + text);
        }
    }

    /** True for a reply after which the server closes the connection (RFC 5321 §3.8). */
    public boolean closesConnection() {
        return code == 421;
    }

    /** The text with the placeholders filled in, lines still separated by {@code \n}. */
    public String text(String sourceIp, String recipient) {
        return text.replace("{ip}", sourceIp).replace("{rcpt}", recipient);
    }

    /** The reply as it goes on the wire, CRLF after every line. */
    String wire(String sourceIp, String recipient) {
        List<String> lines = text(sourceIp, recipient).lines().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code)
                    .append(i < lines.size() - 1 ? '-' : ' ')
                    .append(lines.get(i))
                    .append("\r\n");
        }
        return out.toString();
    }
}
