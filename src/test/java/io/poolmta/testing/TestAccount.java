package io.poolmta.testing;

/** An account created through the admin API, with its SigV4 credentials. */
public record TestAccount(String name, String accountId, String accessKeyId, String secretAccessKey) {
    public String poolArn(String pool) {
        return "arn:aws:ses:us-east-1:" + accountId + ":dedicated-ip-pool/" + pool;
    }

    public String configurationSetArn(String set) {
        return "arn:aws:ses:us-east-1:" + accountId + ":configuration-set/" + set;
    }
}
