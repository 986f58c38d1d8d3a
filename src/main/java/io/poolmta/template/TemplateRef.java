package io.poolmta.template;

import io.poolmta.common.PoolMtaException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which template a send uses (SES {@code Template}): a stored one by TemplateName or TemplateArn
 * ({@code arn:aws:ses:REGION:ACCOUNT:template/NAME}), or inline TemplateContent. Exactly one of the
 * three must be given.
 */
public sealed interface TemplateRef {
    record Stored(Optional<String> arnAccountId, String name) implements TemplateRef {}

    record Inline(TemplateContent content) implements TemplateRef {}

    Pattern ARN = Pattern.compile("^arn:[a-z-]+:ses:[a-z0-9-]*:([0-9]{12}):template/(.+)$");

    static TemplateRef of(Optional<String> name, Optional<String> arn, Optional<TemplateContent> content) {
        int given = (name.isPresent() ? 1 : 0) + (arn.isPresent() ? 1 : 0) + (content.isPresent() ? 1 : 0);
        if (given != 1) {
            throw PoolMtaException.badRequest(
                    "Template must name exactly one of TemplateName, TemplateArn or TemplateContent.");
        }
        if (content.isPresent()) {
            return new Inline(content.get());
        }
        if (name.isPresent()) {
            return new Stored(Optional.empty(), name.get());
        }
        Matcher m = ARN.matcher(arn.get());
        if (!m.matches()) {
            throw PoolMtaException.badRequest(
                    "TemplateArn must have the form arn:aws:ses:REGION:ACCOUNT:template/NAME.");
        }
        return new Stored(Optional.of(m.group(1)), TemplateNames.requireValid(m.group(2)));
    }
}
