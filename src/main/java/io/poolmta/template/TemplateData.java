package io.poolmta.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.common.PoolMtaException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a template is rendered with: SES's {@code TemplateData}, a JSON object of at most
 * {@value #MAX_CHARS} characters, turned into maps, lists, strings, booleans and numbers once, so
 * that rendering never parses. Numbers are written as JavaScript would write plain ones ({@code 1},
 * {@code 1.5}, not {@code 1.0}); JSON {@code null} is a value that is not there.
 */
public record TemplateData(Map<String, Object> values) {
    /** The SES model's limit on TemplateData and ReplacementTemplateData. */
    public static final int MAX_CHARS = 262_144;

    public static final TemplateData EMPTY = new TemplateData(Map.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(100).build());
    }

    public TemplateData {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Parses {@code json}; BAD_REQUEST naming {@code field} when it is too long, not JSON or not an object. */
    public static TemplateData parse(String json, String field) {
        if (json.length() > MAX_CHARS) {
            throw PoolMtaException.badRequest(
                    field + " has " + json.length() + " characters; at most " + MAX_CHARS + " are allowed.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw PoolMtaException.badRequest(field + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw PoolMtaException.badRequest(field + " must be a JSON object, such as {\"name\":\"Jane\"}.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) value(node);
        return new TemplateData(values);
    }

    /** These values with {@code overrides}' top-level keys put over them (per-destination data over the default). */
    public TemplateData with(TemplateData overrides) {
        if (values.isEmpty()) {
            return overrides;
        }
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides.values);
        return new TemplateData(merged);
    }

    private static Object value(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    Object v = value(field.getValue());
                    if (v != null) {
                        map.put(field.getKey(), v);
                    }
                }
                return map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(element -> list.add(value(element)));
                return list;
            }
            case STRING -> {
                return node.textValue();
            }
            case BOOLEAN -> {
                return node.booleanValue();
            }
            case NUMBER -> {
                if (node.canConvertToLong() && node.isIntegralNumber()) {
                    return node.longValue();
                }
                return plain(node.decimalValue());
            }
            default -> {
                return null;
            }
        }
    }

    /** A number written without a needless fraction or exponent: 1.50 → "1.5", 2.0 → "2". */
    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 && stripped.precision() - stripped.scale() > 21
                ? stripped.toString()
                : stripped.toPlainString();
    }
}
