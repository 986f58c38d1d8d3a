package io.poolmta.account;

import java.util.List;
import java.util.Optional;

/** Durable SMTP credentials (user name, account, password hash). */
public interface SmtpCredentialStore {
    void insert(SmtpCredential credential);

    Optional<SmtpCredential> byUsername(String username);

    /** The account's credentials, oldest first. */
    List<SmtpCredential> byAccount(String accountId);

    /** Returns whether a credential was deleted. */
    boolean delete(String username);
}
