package io.poolmta.reputation;

import java.util.Objects;

/**
 * What enforcement judges: an account as a whole, one of its configuration sets (named), or its
 * use of the shared pool.
 */
public record Scope(Kind kind, String accountId, String name) {
    public enum Kind {
        ACCOUNT,
        CONFIGURATION_SET,
        SHARED_POOL
    }

    public Scope {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(name);
    }

    public static Scope account(String accountId) {
        return new Scope(Kind.ACCOUNT, accountId, "");
    }

    public static Scope configurationSet(String accountId, String set) {
        return new Scope(Kind.CONFIGURATION_SET, accountId, set);
    }

    public static Scope sharedPool(String accountId) {
        return new Scope(Kind.SHARED_POOL, accountId, "");
    }

    /** For messages: "the account", "configuration set NAME", "the account's use of ses-shared-pool". */
    public String describe() {
        return switch (kind) {
            case ACCOUNT -> "the account";
            case CONFIGURATION_SET -> "configuration set " + name;
            case SHARED_POOL -> "the account's mail on ses-shared-pool";
        };
    }
}
