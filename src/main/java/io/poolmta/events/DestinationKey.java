package io.poolmta.events;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Names one event destination: account id, configuration set, destination name. Each part is a
 * safe file name (letters, digits, '_', '-', '.'; not "." or ".."), so the key doubles as the
 * relative path ACCOUNT/SET/NAME of the destination's queue and dead-letter file.
 */
public record DestinationKey(String accountId, String configurationSet, String name) {
    private static final Pattern PART = Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");

    public DestinationKey {
        for (String part : new String[] {accountId, configurationSet, name}) {
            if (part == null || !PART.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("not a destination name part: '" + part + "'");
            }
        }
    }

    public static DestinationKey of(EventDestination d) {
        return new DestinationKey(d.accountId(), d.configurationSet(), d.name());
    }

    Path under(Path root) {
        return root.resolve(accountId).resolve(configurationSet).resolve(name);
    }

    @Override
    public String toString() {
        return accountId + "/" + configurationSet + "/" + name;
    }
}
