package io.poolmta.account;

/** A SigV4 credential of one account. The secret is kept because SigV4 verification needs it. */
public record AccessKey(String accessKeyId, String secretAccessKey, String accountId) {
    @Override
    public String toString() {
        return "AccessKey[" + accessKeyId + ", account " + accountId + "]";
    }
}
