package io.poolmta.tag;

import io.poolmta.common.PoolMtaException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code arn:aws:ses:REGION:ACCOUNT:TYPE/NAME}, naming a pool, a configuration set, an email
 * template or an email identity (whose name may hold '@', '.' and '+'). PoolMTA
 * resources do not live in one region, so any region names the same resource.
 */
public record ResourceArn(String region, String accountId, ResourceType type, String name) {
    private static final Pattern ARN =
            Pattern.compile("^arn:[a-z-]+:ses:([a-z0-9-]*):([0-9]{12}):([a-z-]+)/([A-Za-z0-9_-]{1,64})$");
    private static final Pattern IDENTITY_ARN =
            Pattern.compile("^arn:[a-z-]+:ses:([a-z0-9-]*):([0-9]{12}):(identity)/([\\x21-\\x7e&&[^/]]{1,320})$");

    public static ResourceArn parse(String text) {
        if (text == null || text.isEmpty()) {
            throw PoolMtaException.badRequest("ResourceArn is required.");
        }
        Matcher general = ARN.matcher(text);
        Matcher m = general.matches() ? general : IDENTITY_ARN.matcher(text);
        if (!m.matches()) {
            throw PoolMtaException.badRequest("ResourceArn '" + (text.length() > 200 ? text.substring(0, 200) : text)
                    + "' is not an ARN of the form arn:aws:ses:REGION:ACCOUNT:dedicated-ip-pool/NAME"
                    + ", ...:configuration-set/NAME, ...:template/NAME or ...:identity/NAME.");
        }
        ResourceType type = ResourceType.ofArnWord(m.group(3))
                .orElseThrow(() -> PoolMtaException.badRequest("Resource type '" + m.group(3)
                        + "' cannot be tagged; use dedicated-ip-pool, configuration-set, template or identity."));
        return new ResourceArn(m.group(1), m.group(2), type, m.group(4));
    }

    public static String of(String region, String accountId, ResourceType type, String name) {
        return "arn:aws:ses:" + region + ":" + accountId + ":" + type.arnWord() + "/" + name;
    }

    @Override
    public String toString() {
        return of(region, accountId, type, name);
    }
}
