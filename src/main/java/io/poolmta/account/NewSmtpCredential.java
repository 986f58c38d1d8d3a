package io.poolmta.account;

/**
 * What the operator gets back when SMTP credentials are created: the only time the password is
 * available in clear text.
 */
public record NewSmtpCredential(String username, String password, String accountId) {
    @Override
    public String toString() {
        return "NewSmtpCredential[" + username + ", account " + accountId + "]";
    }
}
