package io.poolmta.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Every DNS record an account publishes for one identity, as the operator shows it: the DKIM key
 * records ({@link IdentityService#dnsRecords}) and, for a custom MAIL FROM domain, its MX record
 * (pointing at the operator's feedback host, where bounces arrive) and its SPF record, which
 * authorises the addresses the account's mail can leave from: the IPs of its pools and the shared
 * pool's IPs ({@code ip4:} each, then {@code ~all} as SES recommends).
 */
public final class PublishedRecords {
    public static final int MX_PREFERENCE = 10;

    private final IdentityService identities;
    private final String feedbackHost;
    private final Function<String, List<String>> sendingIps;

    /** @param sendingIps an account's sending addresses (its dedicated IPs and the shared pool's) */
    public PublishedRecords(
            IdentityService identities, String feedbackHost, Function<String, List<String>> sendingIps) {
        this.identities = identities;
        this.feedbackHost = feedbackHost;
        this.sendingIps = sendingIps;
    }

    public List<DnsRecord> of(EmailIdentity identity) {
        List<DnsRecord> records = new ArrayList<>(identities.dnsRecords(identity));
        identity.mailFrom().domain().ifPresent(domain -> {
            records.add(new DnsRecord(domain, "MX", MX_PREFERENCE + " " + feedbackHost + "."));
            records.add(new DnsRecord(domain, "TXT", spfRecord(identity.accountId())));
        });
        return records;
    }

    /** The SPF record that covers the account's sending addresses. */
    public String spfRecord(String accountId) {
        StringBuilder spf = new StringBuilder("v=spf1");
        for (String ip : sendingIps.apply(accountId)) {
            spf.append(" ip4:").append(ip);
        }
        return spf.append(" ~all").toString();
    }
}
