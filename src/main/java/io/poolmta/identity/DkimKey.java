package io.poolmta.identity;

/**
 * The public half of a domain's DKIM key, as published: the selector it is found under, its size,
 * and the base64 SubjectPublicKeyInfo that is the {@code p=} of the TXT record.
 */
public record DkimKey(String selector, DkimKeyLength length, String publicKeyBase64) {
    /** The TXT record's name: {@code <selector>._domainkey.<domain>}. */
    public String recordName(String domain) {
        return selector + "._domainkey." + domain;
    }

    /** The TXT record's value. */
    public String recordValue() {
        return "v=DKIM1; k=rsa; p=" + publicKeyBase64;
    }
}
