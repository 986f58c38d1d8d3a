package io.poolmta.message;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The envelope sender PoolMTA gives a message on the way out, so that a bounce or a complaint that
 * comes back later can be tied to it: the message id as the local part, on a bounce domain
 * ({@code 0100…-000000@bounces.mta.example.com}), as SES does with its {@code amazonses.com}
 * return paths. One return path per message, not per recipient: a message goes to all recipients
 * of one destination in one transaction, and the recipient of a bounce is read from the report
 * (its {@code Final-Recipient}) and checked against the message's recipients.
 *
 * <p>{@link #parse} accepts exactly what {@link #address} makes: a PoolMTA message id, {@code @},
 * a domain. Anything else is not a return path of PoolMTA's (empty), never an exception.
 */
public record ReturnPath(String messageId, String domain) {

    public ReturnPath {
        if (!MessageIds.isMessageId(messageId)) {
            throw new IllegalArgumentException("Not a PoolMTA message id: " + messageId);
        }
        Objects.requireNonNull(domain);
        domain = domain.toLowerCase(Locale.ROOT);
        if (domain.isEmpty() || domain.indexOf('@') >= 0) {
            throw new IllegalArgumentException("Not a bounce domain: " + domain);
        }
    }

    /** The address, for MAIL FROM and the Return-Path receivers add. */
    public String address() {
        return messageId + "@" + domain;
    }

    /** The return path an address is, when it is one of PoolMTA's; local parts compare exactly. */
    public static Optional<ReturnPath> parse(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String bare = address.strip();
        if (bare.startsWith("<") && bare.endsWith(">")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        int at = bare.lastIndexOf('@');
        if (at <= 0 || at == bare.length() - 1) {
            return Optional.empty();
        }
        String local = bare.substring(0, at);
        String domain = bare.substring(at + 1);
        if (!MessageIds.isMessageId(local) || domain.indexOf('@') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new ReturnPath(local, domain));
    }
}
