package io.poolmta.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one classifier of failed deliveries, for a receiver's reply during delivery and for a
 * bounce report that comes back later: an enhanced status code (RFC 3463) with a rule of its own
 * decides first; else the first text pattern found in the reply or diagnostic text; else the class
 * of the status or the reply code (5: Permanent/General, 4: Transient/General); else Undetermined.
 * The rules are data ({@value #BUNDLED} beside this class). Immutable and thread-safe; never throws
 * on any input.
 */
public final class BounceClassifier {
    static final String BUNDLED = "bounce-rules.json";
    /** An enhanced status code in a text: class, subject, detail. */
    private static final Pattern ENHANCED = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");
    /** A reply code at the start of a reply line ("550 ", "550-"). */
    private static final Pattern REPLY_CODE = Pattern.compile("^\\s*([245]\\d\\d)(?:[ -]|$)");
    /** How much of a text the patterns look at: diagnostics are short, reports may not be. */
    static final int MAX_TEXT = 4096;

    private static final BounceClassifier DEFAULT = bundled();

    record TextRule(String provider, Pattern pattern, BounceVerdict verdict) {}

    private final Map<String, BounceVerdict> statusRules;
    private final List<TextRule> textRules;

    BounceClassifier(Map<String, BounceVerdict> statusRules, List<TextRule> textRules) {
        this.statusRules = Map.copyOf(statusRules);
        this.textRules = List.copyOf(textRules);
    }

    /** The classifier with the bundled rules. */
    public static BounceClassifier standard() {
        return DEFAULT;
    }

    /**
     * The verdict for a failure: {@code status} an enhanced status code when the report gave one
     * (else it is looked for in the text), {@code replyCode} the SMTP reply code (0 when none),
     * {@code text} the reply or diagnostic text.
     */
    public BounceVerdict classify(Optional<String> status, int replyCode, String text) {
        String bounded = text == null ? "" : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
        Optional<String> enhanced =
                status.filter(s -> ENHANCED.matcher(s).matches()).or(() -> enhancedIn(bounded));
        if (enhanced.isPresent()) {
            BounceVerdict exact = statusRules.get(enhanced.get());
            if (exact != null) {
                return exact;
            }
        }
        for (TextRule rule : textRules) {
            if (rule.pattern().matcher(bounded).find()) {
                return rule.verdict();
            }
        }
        char cls = enhanced.map(s -> s.charAt(0)).orElse(replyCode >= 200 ? (char) ('0' + replyCode / 100) : '0');
        return switch (cls) {
            case '5' -> BounceVerdict.PERMANENT_GENERAL;
            case '4' -> BounceVerdict.TRANSIENT_GENERAL;
            default -> BounceVerdict.UNDETERMINED_VERDICT;
        };
    }

    /** The verdict for one SMTP reply line ("550 5.1.1 no such user"). */
    public BounceVerdict classifyReply(String reply) {
        return classify(Optional.empty(), replyCode(reply), reply);
    }

    /** The first enhanced status code in a text. */
    public static Optional<String> enhancedIn(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = ENHANCED.matcher(text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** The reply code a reply line starts with, 0 when it starts with none. */
    public static int replyCode(String reply) {
        if (reply == null) {
            return 0;
        }
        Matcher m = REPLY_CODE.matcher(reply);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static BounceClassifier bundled() {
        try (InputStream in = BounceClassifier.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + BUNDLED + " is missing");
            }
            return parse(new ObjectMapper().readTree(in), BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The classifier of a rules document; {@code source} names it in errors. */
    static BounceClassifier parse(JsonNode root, String source) {
        Map<String, BounceVerdict> status = new LinkedHashMap<>();
        for (JsonNode rule : root.path("statusRules")) {
            String code = rule.path("status").asText("");
            if (!ENHANCED.matcher(code).matches()) {
                throw new IllegalArgumentException(source + ": not an enhanced status code: '" + code + "'");
            }
            status.put(code, verdict(rule, source));
        }
        List<TextRule> text = new ArrayList<>();
        for (JsonNode rule : root.path("textRules")) {
            text.add(new TextRule(
                    rule.path("provider").asText("any"),
                    Pattern.compile(rule.path("pattern").asText(), Pattern.CASE_INSENSITIVE),
                    verdict(rule, source)));
        }
        return new BounceClassifier(status, text);
    }

    private static BounceVerdict verdict(JsonNode rule, String source) {
        try {
            return new BounceVerdict(
                    rule.path("bounceType").asText(""),
                    rule.path("bounceSubType").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }
}
