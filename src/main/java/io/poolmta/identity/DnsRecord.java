package io.poolmta.identity;

import java.util.ArrayList;
import java.util.List;

/** One record the account publishes in its zone: name (no trailing dot), type and value. */
public record DnsRecord(String name, String type, String value) {
    public static final int TTL = 3600;

    /**
     * The record as a zone-file line, ready to paste into a BIND-style zone: a TXT value is quoted
     * and cut into strings of at most 255 characters, as DNS requires.
     */
    public String zoneLine() {
        String data = value;
        if (type.equals("TXT")) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < value.length(); i += 255) {
                strings.add("\"" + value.substring(i, Math.min(value.length(), i + 255)) + "\"");
            }
            data = strings.size() == 1 ? strings.getFirst() : "( " + String.join(" ", strings) + " )";
        }
        return name + ". " + TTL + " IN " + type + " " + data;
    }
}
