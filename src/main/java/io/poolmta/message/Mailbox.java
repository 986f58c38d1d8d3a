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
        return address.substring(address.lastIndexOf('@') + 1);
    }

    @Override
    public String toString() {
        return displayName.map(name -> name + " <" + address + ">").orElse(address);
    }
}
