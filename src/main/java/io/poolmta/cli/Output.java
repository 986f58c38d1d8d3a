package io.poolmta.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Prints results: pretty JSON, or an aligned table. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Output() {}

    static void json(JsonNode node) {
        try {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print result: " + e.getMessage());
        }
    }

    static void table(JsonNode rows, String[] headers, String[] fields) {
        List<String[]> lines = new ArrayList<>();
        lines.add(headers);
        for (JsonNode row : rows) {
            String[] cells = new String[fields.length];
            for (int i = 0; i < fields.length; i++) {
                JsonNode v = row.get(fields[i]);
                cells[i] = v == null || v.isNull() ? "-" : v.asText();
            }
            lines.add(cells);
        }
        int[] widths = new int[headers.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                sb.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
            }
            System.out.println(sb.toString().stripTrailing());
        }
    }
}
