package io.poolmta.console;

import java.util.List;
import java.util.Optional;

/**
 * What every page's frame needs: its title, which navigation entry is active, who is signed in
 * (none on the sign-in pages), the session's CSRF token for the forms, and the asset paths.
 */
public record Chrome(String title, String active, Optional<Principal> user, String csrf, List<NavItem> nav) {
    public boolean signedIn() {
        return user.isPresent();
    }

    public String userLabel() {
        return user.map(p -> p.operator() ? "Operator" : p.label() + " (" + p.accountId() + ")")
                .orElse("");
    }

    public String asset(String name) {
        return StaticAssets.path(name);
    }
}
