package io.poolmta.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: no Java parser of
 * the format is published by the Prometheus client library, so this one checks what a scraper
 * needs. Every line ends with a newline; HELP and TYPE come before a family's samples, once each;
 * metric and label names are valid; label values are quoted with the format's escapes; values are
 * Go floats (NaN, +Inf, -Inf); a counter's samples end in _total (or are
 * NAME_created), its family named either way; no sample
 * (name and labels) appears twice. Anything else fails the parse.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    /** One metric family: its TYPE, HELP and samples in order. */
    public record Family(String name, String type, String help, List<Sample> samples) {
        /** The value of the sample with exactly these labels (name/value pairs). */
        public Optional<Double> value(String... labels) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            return samples.stream()
                    .filter(s -> s.labels().equals(wanted) && !s.name().endsWith("_created"))
                    .map(Sample::value)
                    .findFirst();
        }
    }

    private PrometheusText() {}

    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition does not end with a newline");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    String name = name(parts[0], METRIC_NAME);
                    String value = parts.length > 1 ? parts[1] : "";
                    Map<String, String> target = line.startsWith("# HELP ") ? helps : types;
                    if (target.put(name, value) != null) {
                        throw new IllegalArgumentException("a second " + line.substring(2, 6) + " for " + name);
                    }
                    if (target == types && !TYPES.contains(value)) {
                        throw new IllegalArgumentException("unknown type " + value);
                    }
                    if (samples.containsKey(name)) {
                        throw new IllegalArgumentException("metadata after the samples of " + name);
                    }
                    continue;
                }
                if (line.startsWith("#")) {
                    continue; // a comment
                }
                Sample s = sample(line);
                String family = family(s.name(), types);
                if (!seen.add(s.name() + s.labels())) {
                    throw new IllegalArgumentException("a duplicate sample " + s.name() + s.labels());
                }
                samples.computeIfAbsent(family, f -> new ArrayList<>()).add(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + lineNo + " '" + line + "': " + e.getMessage(), e);
            }
        }
        Map<String, Family> out = new LinkedHashMap<>();
        types.forEach((name, type) -> out.put(
                name, new Family(name, type, helps.getOrDefault(name, ""), samples.getOrDefault(name, List.of()))));
        return out;
    }

    private static String family(String sample, Map<String, String> types) {
        String type = types.get(sample);
        if (type != null) {
            if (type.equals("counter") && !sample.endsWith("_total")) {
                throw new IllegalArgumentException("a counter sample without _total");
            }
            return sample;
        }
        for (String suffix : List.of("_total", "_created")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if ("counter".equals(types.get(base))) {
                    return base;
                }
            }
        }
        throw new IllegalArgumentException("a sample of no declared family");
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = name(line.substring(0, i), METRIC_NAME);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = name(line.substring(i, eq), LABEL_NAME);
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("label value not quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(
                                switch (next) {
                                    case '\\' -> '\\';
                                    case '"' -> '"';
                                    case 'n' -> '\n';
                                    default -> throw new IllegalArgumentException("bad escape \\" + next);
                                });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or } after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("trailing text");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]); // a timestamp in milliseconds
        }
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!text.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                    throw new IllegalArgumentException("not a number: " + text);
                }
                yield Double.parseDouble(text);
            }
        };
    }

    private static String name(String text, Pattern pattern) {
        if (!pattern.matcher(text).matches()) {
            throw new IllegalArgumentException("invalid name '" + text + "'");
        }
        return text;
    }
}
