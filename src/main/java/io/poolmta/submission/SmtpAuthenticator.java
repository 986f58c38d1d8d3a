package io.poolmta.submission;

import java.util.Optional;

/** Checks SMTP AUTH credentials; returns the account id they belong to. */
@FunctionalInterface
public interface SmtpAuthenticator {
    Optional<String> authenticate(String username, String password);
}
