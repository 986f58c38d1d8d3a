package io.poolmta.identity;

import io.poolmta.common.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Verifies an email-address identity as SES does, by a one-time link mailed to the address: a
 * random 256-bit token (base64url) in {@code PUBLIC_URL/verify-email/TOKEN}, of which only the
 * SHA-256 is stored. Following the link within {@link #VALID_FOR} verifies the address; a link
 * works once, and only for the identity it was made for (not one deleted and created again). The message is sent by a {@link LinkMailer}: the operator's own mail, from the
 * operator's address. {@link #confirm} says what happened, for the page the link opens.
 */
public final class EmailVerification {
    /** How long a link works, as SES's. */
    public static final Duration VALID_FOR = Duration.ofHours(24);

    public static final String PATH = "/verify-email/";

    private static final Pattern TOKEN = Pattern.compile("^[A-Za-z0-9_-]{43}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Sends the message with the link; throws when it cannot be accepted for delivery. */
    @FunctionalInterface
    public interface LinkMailer {
        void send(String accountId, String from, String to, String subject, String text);
    }

    /** What following a link did. */
    public sealed interface Outcome {}

    /** The address is verified now. */
    public record Verified(String identity) implements Outcome {}

    /** The link was used before (the address was verified then). */
    public record AlreadyUsed(String identity) implements Outcome {}

    /** The link is older than {@link #VALID_FOR}. */
    public record Expired(String identity) implements Outcome {}

    /** No such link (mistyped, or its identity was deleted). */
    public record Unknown() implements Outcome {}

    private final IdentityStore identities;
    private final VerificationTokenStore tokens;
    private final LinkMailer mailer;
    private final String from;
    private final Supplier<String> publicUrl;
    private final Transactions tx;
    private final Clock clock;

    /**
     * @param from the operator's address the message comes from
     * @param publicUrl the base URL of the links (read when a link is made: the listener's port may
     *     be known only once it is bound)
     */
    public EmailVerification(
            IdentityStore identities,
            VerificationTokenStore tokens,
            LinkMailer mailer,
            String from,
            Supplier<String> publicUrl,
            Transactions tx,
            Clock clock) {
        this.identities = identities;
        this.tokens = tokens;
        this.mailer = mailer;
        this.from = from;
        this.publicUrl = publicUrl;
        this.tx = tx;
        this.clock = clock;
    }

    /** Makes a link for a new email-address identity and mails it to the address. */
    public void start(EmailIdentity identity) {
        if (identity.type() != IdentityType.EMAIL_ADDRESS) {
            throw new IllegalArgumentException(identity.name() + " is not an email address");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        tx.write(() -> {
            tokens.insert(
                    new VerificationTokenStore.Entry(
                            hash(token), identity.accountId(), identity.name(), now.plus(VALID_FOR), Optional.empty()),
                    now);
            return null;
        });
        String link = stripSlash(publicUrl.get()) + PATH + token;
        mailer.send(
                identity.accountId(),
                from,
                identity.name(),
                "Verify your email address " + identity.name(),
                "Someone asked to send email as " + identity.name() + " through this PoolMTA server.\n\n"
                        + "If it was you, open this link within 24 hours to verify the address:\n\n"
                        + link + "\n\n"
                        + "If it was not you, ignore this message: nothing is sent as you until the"
                        + " address is verified.\n");
    }

    /** Follows a link: verifies its address once, within its time. */
    public Outcome confirm(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return new Unknown();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        return tx.write(() -> {
            Optional<VerificationTokenStore.Entry> entry = tokens.byHash(hash);
            if (entry.isEmpty()) {
                return new Unknown();
            }
            VerificationTokenStore.Entry e = entry.get();
            Optional<EmailIdentity> identity = identities.get(e.accountId(), e.identity());
            Instant made = e.expiresAt().minus(VALID_FOR);
            if (identity.isEmpty() || made.isBefore(identity.get().createdAt())) {
                return new Unknown(); // its identity was deleted (and perhaps created again since)
            }
            if (e.usedAt().isPresent()) {
                return new AlreadyUsed(e.identity());
            }
            if (!now.isBefore(e.expiresAt())) {
                return new Expired(e.identity());
            }
            tokens.markUsed(hash, now);
            identities.update(identity.get().verifiedByLink());
            return new Verified(e.identity());
        });
    }

    static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
