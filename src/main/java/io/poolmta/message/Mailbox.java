package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.Objects;
import java.util.Optional;

/**
 * One mailbox: an optional display name (as the user wrote it, unquoted, never decoded) and a valid
 * addr-spec, normalised by {@link EmailAddresses} (an internationalised domain in its ASCII form).
 * {@link #address()} is what goes into the SMTP envelope.
 */
public record Mailbox(Optional<String> displayName, String address) {

    public Mailbox {
        Objects.requireNonNull(displayName);
        displayName = displayName.map(String::strip).filter(name -> !name.isEmpty());
        address = EmailAddresses.requireAddrSpec(address, null);
        if (displayName
                .filter(name -> name.chars().anyMatch(c -> c == '\r' || c == '\n'))
                .isPresent()) {
            throw PoolMtaException.badRequest("The display name of " + address + " must not contain line breaks.");
        }
    }

    /** A mailbox parsed from "jane@example.com" or "Jane Doe <jane@example.com>". */
    public static Mailbox of(String text) {
        return EmailAddresses.parse(text);
    }

    public String localPart() {
        return address.substring(0, address.lastIndexOf('@'));
    }

    public String domain() {
        return domainOf(address).orElseThrow();
    }

    /**
     * The domain of an address given as text ({@code local@domain}, split at the last {@code @}),
     * as written; empty when the text has no local part or no domain. The one place PoolMTA takes
     * an address apart for its domain.
     */
    public static Optional<String> domainOf(String address) {
        int at = address.lastIndexOf('@');
        return at > 0 && at < address.length() - 1 ? Optional.of(address.substring(at + 1)) : Optional.empty();
    }

    @Override
    public String toString() {
        return displayName.map(name -> name + " <" + address + ">").orElse(address);
    }
}
