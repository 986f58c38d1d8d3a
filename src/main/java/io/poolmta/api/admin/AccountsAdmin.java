package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.account.NewAccount;
import io.poolmta.api.Json;

/** POST /accounts creates an account with its first SigV4 key; GET /accounts lists accounts. */
public final class AccountsAdmin {
    private final AccountService accounts;

    public AccountsAdmin(AccountService accounts) {
        this.accounts = accounts;
    }

    public void register(AdminApi api) {
        api.add("POST", "/accounts", (labels, query, body) -> {
            NewAccount created = accounts.create(body.requiredString("Name"));
            ObjectNode out = Json.object();
            out.put("AccountId", created.account().id());
            out.put("Name", created.account().name());
            out.put("AccessKeyId", created.key().accessKeyId());
            out.put("SecretAccessKey", created.key().secretAccessKey());
            return out;
        });
        api.add("GET", "/accounts", (labels, query, body) -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("Accounts");
            for (Account a : accounts.all()) {
                list.addObject()
                        .put("AccountId", a.id())
                        .put("Name", a.name())
                        .put("SendingEnabled", a.sendingEnabled())
                        .put("DedicatedIpAutoWarmupEnabled", a.dedicatedIpAutoWarmupEnabled());
            }
            return out;
        });
    }
}
