package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;
import io.poolmta.api.Json;
import io.poolmta.identity.DnsRecord;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.PublishedRecords;

/**
 * GET /accounts/{Name}/identities lists an account's identities with how each was verified;
 * GET .../identities/{Identity} shows one with the DNS records to publish; POST .../verify is the
 * operator vouching for it (verified without DNS, shown as VerifiedBy OPERATOR). The records are
 * the DKIM keys' and, with a custom MAIL FROM domain, its MX and SPF. Never a private key.
 */
public final class IdentitiesAdmin {
    private final IdentityService identities;
    private final AccountService accounts;
    private final PublishedRecords published;

    public IdentitiesAdmin(IdentityService identities, AccountService accounts, PublishedRecords published) {
        this.identities = identities;
        this.accounts = accounts;
        this.published = published;
    }

    public void register(AdminApi api) {
        api.add("GET", "/accounts/{Name}/identities", (labels, query, body) -> {
            String accountId = accounts.byName(labels.get("Name")).id();
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("Identities");
            identities.all(accountId).forEach(i -> list.add(summary(i)));
            return out;
        });
        api.add(
                "GET",
                "/accounts/{Name}/identities/{Identity}",
                (labels, query, body) -> detail(
                        identities.get(accounts.byName(labels.get("Name")).id(), labels.get("Identity"))));
        api.add(
                "POST",
                "/accounts/{Name}/identities/{Identity}/verify",
                (labels, query, body) -> detail(
                        identities.vouch(accounts.byName(labels.get("Name")).id(), labels.get("Identity"))));
    }

    private static ObjectNode summary(EmailIdentity i) {
        ObjectNode row = Json.object();
        row.put("Identity", i.name())
                .put("Type", i.type().name())
                .put("VerificationStatus", i.status().name())
                .put("VerifiedBy", i.verifiedBy().isEmpty() ? "-" : i.verifiedBy())
                .put("DkimStatus", i.dkim().status().name())
                .put("SigningEnabled", i.dkim().signingEnabled());
        return row;
    }

    private ObjectNode detail(EmailIdentity i) {
        ObjectNode out = summary(i);
        i.dkim().selector().ifPresent(s -> out.put("Selector", s));
        i.dkim().currentKeyLength().ifPresent(l -> out.put("KeyLength", l.name()));
        if (i.dkim().selector().isPresent()) {
            out.put("SigningAttributesOrigin", i.dkim().origin().name());
        }
        i.mailFrom()
                .domain()
                .ifPresent(d -> out.put("MailFromDomain", d)
                        .put("MailFromDomainStatus", i.mailFrom().status().name())
                        .put(
                                "BehaviorOnMxFailure",
                                i.mailFrom().behaviorOnMxFailure().name()));
        i.dkim().rotation().ifPresent(r -> out.put("NextSelector", r.key().selector()));
        i.configurationSetName().ifPresent(s -> out.put("ConfigurationSetName", s));
        ArrayNode records = out.putArray("DnsRecords");
        for (DnsRecord r : published.of(i)) {
            records.addObject()
                    .put("Name", r.name())
                    .put("Type", r.type())
                    .put("Value", r.value())
                    .put("ZoneLine", r.zoneLine());
        }
        return out;
    }
}
