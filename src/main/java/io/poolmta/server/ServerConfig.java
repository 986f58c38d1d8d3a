package io.poolmta.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.events.WebhookSettings;
import io.poolmta.spool.SpoolSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What {@code poolmta serve} runs with. Every field has a named default; a config file (JSON) may
 * set {@code data}, {@code api}, {@code smtp} and {@code outbound} ({@code loopback-only}, the
 * default, or {@code internet}), {@code hostname}, {@code warmupSendingDayShare} (0 = off), and the {@link DeliveryPolicy} keys
 * {@code warmupDailyCaps} and {@code providers}, {@code spoolMinFreeMb} (the free space the spool leaves
 * on its disk, default 64; 0 = none), {@code dnsResolver} (HOST:PORT of the DNS server identity
 * checks ask; default: the system's resolvers), {@code webhookAllowList} (internal webhook destinations
 * tenants may use: CIDRs, addresses, host names, *.domain) {@code webhookMaxAgeSeconds} (how
 * long a webhook event is retried before it is dead-lettered), the {@link SubmissionOptions} keys
 * ({@code smtpAllowCleartextAuth}, {@code tlsCertificate}, {@code tlsPrivateKey}, {@code smtps},
 * {@code smtpMaxConnectionsPerAddress}), {@code bounceDomain} (the domain of the return paths;
 * default {@code bounces.} and the host name), the {@link IdentityOptions} keys ({@code feedbackHost},
 * {@code verificationFrom}, {@code publicUrl}), the reputation thresholds ({@code reputation*} and
 * {@code sharedPoolReviewSendRate}, read with the {@link DeliveryPolicy}), the {@link FeedbackOptions}
 * keys ({@code feedback}, {@code feedbackRetentionDays}), the {@link ClusterOptions} keys
 * ({@code database}, {@code node}, {@code nodeLink}); command-line flags
 * override the file; unknown keys
 * in the file are rejected so a typo never goes unnoticed.
 */
public record ServerConfig(
        Path dataDir,
        HostPort api,
        HostPort smtp,
        Outbound outbound,
        String hostName,
        double warmupSendingDayShare,
        DeliveryPolicy policy,
        long spoolMinFreeMb,
        WebhookSettings webhooks,
        Optional<HostPort> dnsResolver,
        SubmissionOptions submission,
        String bounceDomain,
        IdentityOptions identity,
        FeedbackOptions feedback,
        ClusterOptions cluster) {
    public static final Path DEFAULT_DATA = Path.of("poolmta-data");
    public static final HostPort DEFAULT_API = new HostPort("127.0.0.1", 8580);
    public static final HostPort DEFAULT_SMTP = new HostPort("127.0.0.1", 2587);
    /** Embedded default: mail never leaves the machine (static routes to loopback only). */
    public static final Outbound DEFAULT_OUTBOUND = Outbound.LOOPBACK_ONLY;
    /** The name this server gives in SMTP greetings, Message-IDs and events (reportingMTA). */
    public static final String DEFAULT_HOST_NAME = "poolmta.localhost";

    private static final Pattern BOUNCE_DOMAIN =
            Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$");

    private static final Set<String> KEYS = keys(
            Set.of(
                    "data",
                    "api",
                    "smtp",
                    "outbound",
                    "hostname",
                    "warmupSendingDayShare",
                    "warmupDailyCaps",
                    "providers",
                    "spoolMinFreeMb",
                    "webhookAllowList",
                    "webhookMaxAgeSeconds",
                    "dnsResolver",
                    "bounceDomain"),
            keys(SubmissionOptions.KEYS, DeliveryPolicy.REPUTATION_KEYS, FeedbackOptions.KEYS, ClusterOptions.KEYS));
    public static final long DEFAULT_SPOOL_MIN_FREE_MB = SpoolSettings.DEFAULT_MIN_FREE_BYTES >> 20;

    /** Where delivery may go: only to loopback next hops, or to the internet via MX lookup. */
    public enum Outbound {
        LOOPBACK_ONLY("loopback-only"),
        INTERNET("internet");

        private final String text;

        Outbound(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Outbound parse(String value) {
            for (Outbound o : values()) {
                if (o.text.equals(value)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("outbound must be loopback-only or internet, got '" + value + "'");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(
                DEFAULT_DATA,
                DEFAULT_API,
                DEFAULT_SMTP,
                DEFAULT_OUTBOUND,
                DEFAULT_HOST_NAME,
                0,
                DeliveryPolicy.defaults(),
                DEFAULT_SPOOL_MIN_FREE_MB,
                WebhookSettings.defaults(),
                Optional.empty(),
                SubmissionOptions.defaults(),
                defaultBounceDomain(DEFAULT_HOST_NAME),
                IdentityOptions.defaults(),
                FeedbackOptions.defaults(),
                ClusterOptions.defaults());
    }

    public ServerConfig withDataDir(Path dir) {
        return copy(c -> c.dataDir = dir);
    }

    public ServerConfig withApi(HostPort address) {
        return copy(c -> c.api = address);
    }

    public ServerConfig withSmtp(HostPort address) {
        return copy(c -> c.smtp = address);
    }

    public ServerConfig withOutbound(Outbound mode) {
        return copy(c -> c.outbound = mode);
    }

    /** The host's name; a bounce domain still at its default follows it ({@code bounces.NAME}). */
    public ServerConfig withHostName(String name) {
        String bounces = bounceDomain.equals(defaultBounceDomain(hostName)) ? defaultBounceDomain(name) : bounceDomain;
        return copy(c -> {
            c.hostName = name;
            c.bounceDomain = bounces;
        });
    }

    public ServerConfig withPolicy(DeliveryPolicy newPolicy) {
        return copy(c -> c.policy = newPolicy);
    }

    /** Sending-day counting: a warm-up day counts only when the IP sent this share of its cap (0: off). */
    public ServerConfig withWarmupSendingDayShare(double share) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("warmupSendingDayShare must be between 0 and 1, got " + share);
        }
        return copy(c -> c.warmupSendingDayShare = share);
    }

    /** Free space the spool keeps on its disk, in MiB (0: none). */
    public ServerConfig withSpoolMinFreeMb(long mb) {
        if (mb < 0 || mb > (Long.MAX_VALUE >> 20)) {
            throw new IllegalArgumentException("spoolMinFreeMb must be 0 or more, got " + mb);
        }
        return copy(c -> c.spoolMinFreeMb = mb);
    }

    /** Webhook destinations: the operator's allow-list and the retry age limit. */
    public ServerConfig withWebhooks(WebhookSettings settings) {
        return copy(c -> c.webhooks = settings);
    }

    /** The DNS server that identity checks ask (HOST:PORT), instead of the system's resolvers. */
    public ServerConfig withDnsResolver(HostPort resolver) {
        return copy(c -> c.dnsResolver = Optional.of(resolver));
    }

    /** SMTP submission beyond its address: clear-text AUTH, TLS certificate, SMTPS, per-address limit. */
    public ServerConfig withSubmission(SubmissionOptions options) {
        return copy(c -> c.submission = options);
    }

    /**
     * The domain of the return paths PoolMTA gives its mail (the envelope sender on the wire), where
     * the operator's feedback host receives bounces: a host name, kept in lower case.
     */
    public ServerConfig withBounceDomain(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        if (!BOUNCE_DOMAIN.matcher(lower).matches()) {
            throw new IllegalArgumentException(
                    "bounceDomain must be a host name such as bounces.mta.example.com, got '" + domain + "'");
        }
        return copy(c -> c.bounceDomain = lower);
    }

    /** {@code bounces.} and the host's name, in lower case. */
    public static String defaultBounceDomain(String hostName) {
        return ("bounces." + hostName).toLowerCase(Locale.ROOT);
    }

    /** The feedback listener and the sent-message ledger's retention. */
    public ServerConfig withFeedback(FeedbackOptions options) {
        return copy(c -> c.feedback = options);
    }

    /** Identity verification: feedback host, verification sender, public URL of the links. */
    public ServerConfig withIdentity(IdentityOptions options) {
        return copy(c -> c.identity = options);
    }

    /** The cluster: the shared database, this node's name and its node link. */
    public ServerConfig withCluster(ClusterOptions options) {
        return copy(c -> c.cluster = options);
    }

    private ServerConfig copy(Consumer<Copy> change) {
        Copy copy = new Copy(this);
        change.accept(copy);
        return copy.build();
    }

    /** A mutable copy of every component, so each {@code with} method names only what it changes. */
    private static final class Copy {
        Path dataDir;
        HostPort api;
        HostPort smtp;
        Outbound outbound;
        String hostName;
        double warmupSendingDayShare;
        DeliveryPolicy policy;
        long spoolMinFreeMb;
        WebhookSettings webhooks;
        Optional<HostPort> dnsResolver;
        SubmissionOptions submission;
        String bounceDomain;
        IdentityOptions identity;
        FeedbackOptions feedback;
        ClusterOptions cluster;

        Copy(ServerConfig from) {
            dataDir = from.dataDir;
            api = from.api;
            smtp = from.smtp;
            outbound = from.outbound;
            hostName = from.hostName;
            warmupSendingDayShare = from.warmupSendingDayShare;
            policy = from.policy;
            spoolMinFreeMb = from.spoolMinFreeMb;
            webhooks = from.webhooks;
            dnsResolver = from.dnsResolver;
            submission = from.submission;
            bounceDomain = from.bounceDomain;
            identity = from.identity;
            feedback = from.feedback;
            cluster = from.cluster;
        }

        ServerConfig build() {
            return new ServerConfig(
                    dataDir,
                    api,
                    smtp,
                    outbound,
                    hostName,
                    warmupSendingDayShare,
                    policy,
                    spoolMinFreeMb,
                    webhooks,
                    dnsResolver,
                    submission,
                    bounceDomain,
                    identity,
                    feedback,
                    cluster);
        }
    }

    @SafeVarargs
    private static Set<String> keys(Set<String> own, Set<String>... more) {
        Set<String> all = new TreeSet<>(own);
        for (Set<String> m : more) {
            all.addAll(m);
        }
        all.addAll(IdentityOptions.KEYS);
        return Set.copyOf(all);
    }

    /** Layers a JSON config file over the defaults. */
    public static ServerConfig fromFile(Path file) throws IOException {
        JsonNode root = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must hold a JSON object");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown key '" + key + "'; known keys are " + KEYS);
            }
        }
        ServerConfig config = defaults();
        Optional<String> data = text(root, "data", file);
        Optional<String> api = text(root, "api", file);
        Optional<String> smtp = text(root, "smtp", file);
        Optional<String> outbound = text(root, "outbound", file);
        Optional<String> hostName = text(root, "hostname", file);
        if (data.isPresent()) {
            config = config.withDataDir(Path.of(data.get()));
        }
        if (api.isPresent()) {
            config = config.withApi(HostPort.parse(api.get()));
        }
        if (smtp.isPresent()) {
            config = config.withSmtp(HostPort.parse(smtp.get()));
        }
        if (outbound.isPresent()) {
            config = config.withOutbound(Outbound.parse(outbound.get()));
        }
        if (hostName.isPresent()) {
            config = config.withHostName(hostName.get());
        }
        Optional<String> dnsResolver = text(root, "dnsResolver", file);
        if (dnsResolver.isPresent()) {
            config = config.withDnsResolver(HostPort.parse(dnsResolver.get()));
        }
        Optional<String> bounceDomain = text(root, "bounceDomain", file);
        if (bounceDomain.isPresent()) {
            config = config.withBounceDomain(bounceDomain.get());
        }
        config = config.withPolicy(DeliveryPolicy.from(root, file.toString()));
        config = config.withSubmission(config.submission().from(root, file));
        config = config.withIdentity(config.identity().from(root, file));
        config = config.withFeedback(config.feedback().from(root, file));
        config = config.withCluster(config.cluster().from(root, file));
        JsonNode share = root.get("warmupSendingDayShare");
        if (share != null) {
            if (!share.isNumber()) {
                throw new IllegalArgumentException(file + ": 'warmupSendingDayShare' must be a number between 0 and 1");
            }
            config = config.withWarmupSendingDayShare(share.doubleValue());
        }
        JsonNode minFree = root.get("spoolMinFreeMb");
        if (minFree != null) {
            if (!minFree.canConvertToLong() || !minFree.isIntegralNumber()) {
                throw new IllegalArgumentException(
                        file + ": 'spoolMinFreeMb' must be a whole number of MiB (0 or more)");
            }
            config = config.withSpoolMinFreeMb(minFree.longValue());
        }
        config = config.withWebhooks(webhooks(root, file, config.webhooks()));
        return config;
    }

    private static WebhookSettings webhooks(JsonNode root, Path file, WebhookSettings settings) {
        JsonNode allow = root.get("webhookAllowList");
        if (allow != null) {
            if (!allow.isArray()) {
                throw new IllegalArgumentException(
                        file + ": 'webhookAllowList' must be a list of CIDRs and host names");
            }
            List<String> entries = new ArrayList<>();
            for (JsonNode entry : allow) {
                if (!entry.isTextual()) {
                    throw new IllegalArgumentException(file + ": 'webhookAllowList' entries must be strings");
                }
                entries.add(entry.textValue());
            }
            settings = settings.withAllowList(entries);
        }
        JsonNode maxAge = root.get("webhookMaxAgeSeconds");
        if (maxAge != null) {
            if (!maxAge.isIntegralNumber() || !maxAge.canConvertToLong() || maxAge.longValue() < 1) {
                throw new IllegalArgumentException(
                        file + ": 'webhookMaxAgeSeconds' must be a whole number of seconds (1 or more)");
            }
            settings = settings.withMaxAge(Duration.ofSeconds(maxAge.longValue()));
        }
        return settings;
    }

    private static Optional<String> text(JsonNode root, String key, Path file) {
        JsonNode value = root.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(file + ": '" + key + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** The keys a config file may have (the README's configuration table lists each one). */
    static Set<String> knownKeys() {
        return KEYS;
    }

    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }
}
