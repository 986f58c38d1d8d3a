package io.poolmta.console;

import java.util.Objects;

/**
 * Who a console session belongs to: an account (by id, with its name to show) or the operator.
 * An account's pages read only {@link #accountId()}; operator pages refuse account sessions.
 */
public record Principal(boolean operator, String accountId, String label) {
    public Principal {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(label);
    }

    public static Principal account(String accountId, String name) {
        return new Principal(false, accountId, name);
    }

    public static Principal theOperator() {
        return new Principal(true, "", "operator");
    }
}
