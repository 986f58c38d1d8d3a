package io.poolmta.submission;

import io.poolmta.account.AccessKey;
import io.poolmta.account.SmtpCredentialService;
import java.util.Optional;
import java.util.function.Function;

/**
 * SMTP AUTH against the accounts: accepts (a) credentials made by {@link SmtpCredentialService},
 * and (b), as SES does, an account's SigV4 access key id as user name with the SES SMTP password
 * derived from its secret key ({@link SesSmtpPassword}, any SES region). Returns the account id, or
 * empty for wrong credentials. Never throws for bad input; a failing store throws (the server then
 * answers a temporary failure).
 */
public final class AccountSmtpAuthenticator implements SmtpAuthenticator {
    private final SmtpCredentialService credentials;
    private final Function<String, Optional<AccessKey>> accessKeys;

    /** @param accessKeys looks up a SigV4 key by its id, e.g. {@code accountService::key} */
    public AccountSmtpAuthenticator(
            SmtpCredentialService credentials, Function<String, Optional<AccessKey>> accessKeys) {
        this.credentials = credentials;
        this.accessKeys = accessKeys;
    }

    @Override
    public Optional<String> authenticate(String username, String password) {
        if (username == null || password == null || username.isEmpty()) {
            return Optional.empty();
        }
        Optional<AccessKey> key = accessKeys.apply(username);
        if (key.isPresent()) {
            return SesSmtpPassword.matchesAnyRegion(key.get().secretAccessKey(), password)
                    ? Optional.of(key.get().accountId())
                    : Optional.empty();
        }
        return credentials.verify(username, password);
    }
}
