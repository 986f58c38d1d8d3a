package io.poolmta.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of the outbound SMTP client, each with its named default (RFC 5321 §4.5.3.2 allows
 * longer; these are what Postfix-era MTAs use in practice).
 *
 * @param connectTimeout how long a TCP connect may take before the next host is tried
 * @param commandTimeout how long the greeting and each command's reply (EHLO, STARTTLS handshake,
 *     MAIL, RCPT, DATA, RSET, QUIT) may take, and how long one write may block
 * @param dataEndTimeout how long the reply to the final "." may take (the receiver may scan the
 *     message before answering)
 */
public record SmtpClientSettings(Duration connectTimeout, Duration commandTimeout, Duration dataEndTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DATA_END_TIMEOUT = Duration.ofSeconds(120);

    public SmtpClientSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(dataEndTimeout, "dataEndTimeout");
    }

    public static SmtpClientSettings defaults() {
        return new SmtpClientSettings(DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMMAND_TIMEOUT, DEFAULT_DATA_END_TIMEOUT);
    }

    public SmtpClientSettings withConnectTimeout(Duration timeout) {
        return new SmtpClientSettings(timeout, commandTimeout, dataEndTimeout);
    }

    public SmtpClientSettings withCommandTimeout(Duration timeout) {
        return new SmtpClientSettings(connectTimeout, timeout, dataEndTimeout);
    }

    public SmtpClientSettings withDataEndTimeout(Duration timeout) {
        return new SmtpClientSettings(connectTimeout, commandTimeout, timeout);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and 24 days, was " + value);
        }
    }

    /** "300ms", "30s", as timeouts appear in reply texts. */
    static String brief(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
