package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.NewSmtpCredential;
import io.poolmta.account.SmtpCredential;
import io.poolmta.account.SmtpCredentialService;
import io.poolmta.api.Json;

/**
 * POST /accounts/{Name}/smtp-credentials creates SMTP credentials (the password is shown once);
 * GET lists their user names; DELETE /smtp-credentials/{Username} revokes one.
 */
public final class SmtpCredentialsAdmin {
    private final SmtpCredentialService credentials;

    public SmtpCredentialsAdmin(SmtpCredentialService credentials) {
        this.credentials = credentials;
    }

    public void register(AdminApi api) {
        api.add("POST", "/accounts/{Name}/smtp-credentials", (labels, query, body) -> {
            NewSmtpCredential created = credentials.create(labels.get("Name"));
            return Json.object()
                    .put("Username", created.username())
                    .put("Password", created.password())
                    .put("AccountId", created.accountId());
        });
        api.add("GET", "/accounts/{Name}/smtp-credentials", (labels, query, body) -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("SmtpCredentials");
            for (SmtpCredential c : credentials.list(labels.get("Name"))) {
                list.addObject()
                        .put("Username", c.username())
                        .put("CreatedAt", c.createdAt().toString());
            }
            return out;
        });
        api.add("DELETE", "/smtp-credentials/{Username}", (labels, query, body) -> {
            credentials.delete(labels.get("Username"));
            return Json.object();
        });
    }
}
