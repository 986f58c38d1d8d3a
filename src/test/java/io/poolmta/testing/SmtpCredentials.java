package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** SMTP credentials made for an account through the admin API: the username and the password. */
public record SmtpCredentials(String username, String password) {
    /** New credentials for the account named {@code account} on {@code server}. */
    public static SmtpCredentials create(TestServer server, String account) {
        JsonNode created = server.admin().ok("POST", "/accounts/" + account + "/smtp-credentials", "{}");
        return new SmtpCredentials(
                created.get("Username").asText(), created.get("Password").asText());
    }
}
