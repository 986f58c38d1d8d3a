package io.poolmta.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A JSON request body (or a nested object of one) read field by field. Every accessor checks the
 * JSON type and answers a BadRequest that names the field when it is wrong: "Field 'PoolName' must
 * be a string, got a number". JSON null counts as absent, as in AWS SDKs.
 */
public final class JsonInput {
    /** 9999-12-31T23:59:59.999Z: the last instant a timestamp field may hold. */
    private static final long MAX_EPOCH_MILLIS = 253_402_300_799_999L;

    private final ObjectNode node;
    private final String path;

    private JsonInput(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonInput parse(byte[] body) {
        if (body == null || body.length == 0) {
            return new JsonInput(Json.object(), "");
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw ApiException.badRequest("The request body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read as JSON.");
        }
        if (root == null || root.isMissingNode()) {
            return new JsonInput(Json.object(), "");
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("The request body must be a JSON object, got " + describe(root) + ".");
        }
        return new JsonInput((ObjectNode) root, "");
    }

    public ObjectNode node() {
        return node;
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> missing(field));
    }

    public Optional<String> optionalString(String field) {
        return value(field, JsonNodeType.STRING, "a string").map(JsonNode::textValue);
    }

    public Optional<Boolean> optionalBoolean(String field) {
        return value(field, JsonNodeType.BOOLEAN, "a boolean (true or false)").map(JsonNode::booleanValue);
    }

    public Optional<Integer> optionalInteger(String field) {
        return value(field, JsonNodeType.NUMBER, "an integer").map(v -> {
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw ApiException.badRequest("Field '" + name(field) + "' must be an integer within 32 bits.");
            }
            return v.intValue();
        });
    }

    public Integer requiredInteger(String field) {
        return optionalInteger(field).orElseThrow(() -> missing(field));
    }

    public Optional<Long> optionalLong(String field) {
        return value(field, JsonNodeType.NUMBER, "an integer").map(v -> {
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw ApiException.badRequest("Field '" + name(field) + "' must be an integer.");
            }
            return v.longValue();
        });
    }

    /**
     * A restJson1 timestamp: epoch seconds as a JSON number, which SDKs may send with a fraction
     * (the AWS SDK for Java always writes one); kept to the millisecond.
     */
    public Optional<Instant> optionalEpochSeconds(String field) {
        return value(field, JsonNodeType.NUMBER, "a timestamp in epoch seconds").map(v -> {
            try {
                long millis = v.decimalValue()
                        .movePointRight(3)
                        .setScale(0, RoundingMode.HALF_UP)
                        .longValueExact();
                if (millis >= 0 && millis <= MAX_EPOCH_MILLIS) {
                    return Instant.ofEpochMilli(millis);
                }
            } catch (ArithmeticException | DateTimeException e) {
                // fall through to the error below
            }
            throw ApiException.badRequest("Field '" + name(field)
                    + "' must be a timestamp in epoch seconds between 0 and 253402300799 (year 9999).");
        });
    }

    public Optional<JsonInput> optionalObject(String field) {
        return value(field, JsonNodeType.OBJECT, "an object").map(v -> new JsonInput((ObjectNode) v, name(field)));
    }

    /** A list whose elements are read by {@code element}, given each element's field path. */
    public <T> Optional<List<T>> optionalList(String field, Function<Element, T> element) {
        return value(field, JsonNodeType.ARRAY, "a list").map(array -> {
            List<T> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(element.apply(new Element(array.get(i), name(field) + "[" + i + "]")));
            }
            return out;
        });
    }

    /** An enum value by its exact name; an unknown value lists the allowed ones. */
    public <E extends Enum<E>> Optional<E> optionalEnum(String field, Class<E> type) {
        return optionalString(field).map(text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(text)) {
                    return constant;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            throw ApiException.badRequest("Field '" + name(field) + "' must be one of " + String.join(", ", allowed)
                    + ", got '" + shorten(text) + "'.");
        });
    }

    /** One element of a JSON list, with its path for error messages. */
    public record Element(JsonNode value, String path) {
        public JsonInput object() {
            if (!value.isObject()) {
                throw ApiException.badRequest("Field '" + path + "' must be an object, got " + describe(value) + ".");
            }
            return new JsonInput((ObjectNode) value, path);
        }

        public String string() {
            if (!value.isTextual()) {
                throw ApiException.badRequest("Field '" + path + "' must be a string, got " + describe(value) + ".");
            }
            return value.textValue();
        }
    }

    private Optional<JsonNode> value(String field, JsonNodeType type, String expected) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.getNodeType() != type) {
            throw ApiException.badRequest(
                    "Field '" + name(field) + "' must be " + expected + ", got " + describe(value) + ".");
        }
        return Optional.of(value);
    }

    private ApiException missing(String field) {
        return ApiException.badRequest("Field '" + name(field) + "' is required.");
    }

    private String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String describe(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
