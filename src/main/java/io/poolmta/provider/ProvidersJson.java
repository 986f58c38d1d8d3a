package io.poolmta.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Shaping as data, in one JSON format: a {@code providers} list of objects with the named fields
 * {@link #PROVIDER_KEYS} (a provider named {@code other} sets the limits of every other
 * destination; a missing limit takes {@link ProviderLimits#DEFAULT}'s), read from the
 * {@code providers} key of the config file and from the bundled {@value #BUNDLED} beside this
 * class, which also holds {@code throttleReplies}: the patterns (case-insensitive, any one found in
 * a 421/450/451 reply's text) that mean a receiver asks the sender to slow down.
 */
public final class ProvidersJson {
    /** The fields of one provider entry. */
    public static final Set<String> PROVIDER_KEYS = Set.of(
            "name", "domains", "mx", "connectionsPerIp", "messagesPerConnection", "messagesPerHour", "warmupShare");

    static final String BUNDLED = "providers.json";

    private ProvidersJson() {}

    /** The provider table of a {@code providers} list; {@code source} names it in errors. */
    public static ProviderTable table(JsonNode providers, String source) {
        if (!providers.isArray()) {
            throw new IllegalArgumentException(source + ": 'providers' must be a list of provider objects");
        }
        List<MailboxProvider> list = new ArrayList<>();
        ProviderLimits other = ProviderLimits.DEFAULT;
        for (JsonNode p : providers) {
            if (!p.isObject()) {
                throw new IllegalArgumentException(source + ": each provider must be an object");
            }
            for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!PROVIDER_KEYS.contains(key)) {
                    throw new IllegalArgumentException(
                            source + ": unknown provider key '" + key + "'; known keys are " + PROVIDER_KEYS);
                }
            }
            String name = p.path("name").asText("");
            if (!name.matches("[a-z0-9_-]{1,32}")) {
                throw new IllegalArgumentException(
                        source + ": a provider needs a name of 1-32 lowercase letters, digits, '_' or '-'");
            }
            ProviderLimits limits;
            try {
                limits = new ProviderLimits(
                        p.path("connectionsPerIp").asInt(ProviderLimits.DEFAULT.connectionsPerIp()),
                        p.path("messagesPerConnection").asInt(ProviderLimits.DEFAULT.messagesPerConnection()),
                        p.path("messagesPerHour").asInt(0),
                        p.path("warmupShare").asDouble(1.0));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": provider " + name + ": " + e.getMessage());
            }
            if (name.equals(ProviderTable.OTHER)) {
                other = limits;
            } else {
                list.add(new MailboxProvider(
                        name, strings(p.get("domains"), source, name), strings(p.get("mx"), source, name), limits));
            }
        }
        return new ProviderTable(list, other);
    }

    private static List<String> strings(JsonNode node, String source, String provider) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(
                    source + ": provider " + provider + ": domains and mx are lists of names");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** One pattern that finds any of a {@code throttleReplies} list's patterns, case-insensitively. */
    static Pattern throttleReplies(JsonNode patterns, String source) {
        if (patterns == null || !patterns.isArray() || patterns.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'throttleReplies' must be a list of patterns");
        }
        List<String> alternatives = new ArrayList<>();
        patterns.forEach(p -> alternatives.add("(?:" + p.asText() + ")"));
        return Pattern.compile(alternatives.stream().collect(Collectors.joining("|")), Pattern.CASE_INSENSITIVE);
    }

    /** The bundled file's root object. */
    static JsonNode bundled() {
        try (InputStream in = ProvidersJson.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the classpath");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled " + BUNDLED, e);
        }
    }
}
