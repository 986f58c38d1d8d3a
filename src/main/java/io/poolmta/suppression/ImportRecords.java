package io.poolmta.suppression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.common.PoolMtaException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the records of an import file one line at a time, in SES's formats: CSV lines
 * {@code address,REASON} (an optional header line {@code emailAddress,reason}), or JSON lines
 * {@code {"emailAddress":"…","reason":"BOUNCE"}}. The reason is required to PUT and ignored to
 * DELETE. A line that is not a valid record becomes a {@link Bad} record that says why (without
 * echoing the line); lines longer than {@value #MAX_LINE} characters are bad records too, so a file
 * that is not text cannot take the memory.
 */
final class ImportRecords implements AutoCloseable {
    static final int MAX_LINE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Record {}

    record Good(String emailAddress, Optional<SuppressionReason> reason) implements Record {}

    record Bad(long line, String why) implements Record {}

    private final Reader in;
    private final ImportJob.Format format;
    private final boolean reasonRequired;
    private long line;

    ImportRecords(InputStream in, ImportJob.Format format, boolean reasonRequired) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 65536);
        this.format = format;
        this.reasonRequired = reasonRequired;
    }

    /** The next record, or empty at the end of the file. */
    Optional<Record> next() throws IOException {
        while (true) {
            StringBuilder text = new StringBuilder();
            boolean tooLong = false;
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (text.length() < MAX_LINE) {
                    text.append((char) c);
                } else {
                    tooLong = true;
                }
            }
            if (c == -1 && text.isEmpty() && !tooLong) {
                return Optional.empty();
            }
            line++;
            String content = text.toString().strip();
            if (tooLong) {
                return Optional.of(new Bad(line, "the line is longer than " + MAX_LINE + " characters"));
            }
            if (content.isEmpty() || (line == 1 && isHeader(content))) {
                continue;
            }
            return Optional.of(parse(content));
        }
    }

    private boolean isHeader(String content) {
        return format == ImportJob.Format.CSV
                && content.replace("\"", "").toLowerCase(Locale.ROOT).startsWith("emailaddress");
    }

    private Record parse(String content) {
        String address;
        Optional<String> reason;
        if (format == ImportJob.Format.CSV) {
            String[] fields = content.split(",", -1);
            if (fields.length > 2) {
                return new Bad(line, "a CSV record has two fields: address,reason");
            }
            address = unquote(fields[0]);
            reason = fields.length > 1 ? Optional.of(unquote(fields[1])).filter(r -> !r.isEmpty()) : Optional.empty();
        } else {
            JsonNode node;
            try {
                node = JSON.readTree(content);
            } catch (IOException e) {
                return new Bad(line, "not a JSON object");
            }
            if (node == null || !node.isObject() || !node.path("emailAddress").isTextual()) {
                return new Bad(line, "not a JSON object with a string emailAddress");
            }
            address = node.get("emailAddress").asText().strip();
            reason = node.path("reason").isTextual()
                    ? Optional.of(node.get("reason").asText().strip())
                    : Optional.empty();
        }
        String normalized;
        try {
            normalized = SuppressionAddresses.normalize(address, "emailAddress");
        } catch (PoolMtaException e) {
            return new Bad(line, "not a valid email address");
        }
        if (reason.isEmpty()) {
            return reasonRequired
                    ? new Bad(line, "no reason (BOUNCE or COMPLAINT)")
                    : new Good(normalized, Optional.empty());
        }
        try {
            return new Good(
                    normalized,
                    Optional.of(SuppressionReason.valueOf(reason.get().toUpperCase(Locale.ROOT))));
        } catch (IllegalArgumentException e) {
            return reasonRequired
                    ? new Bad(line, "the reason is not BOUNCE or COMPLAINT")
                    : new Good(normalized, Optional.empty());
        }
    }

    private static String unquote(String field) {
        String f = field.strip();
        if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
            f = f.substring(1, f.length() - 1).strip();
        }
        return f;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
