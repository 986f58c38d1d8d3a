package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.identity.DkimAttributes;
import io.poolmta.identity.DkimKeyLength;
import io.poolmta.identity.SigningInput;
import io.poolmta.identity.SigningOrigin;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Shapes of the email-identity operations: DkimSigningAttributes in, DkimAttributes out. No output
 * shape has a field for a private key, so an EXTERNAL key cannot be echoed.
 */
final class IdentityShape {
    private IdentityShape() {}

    /** The path label, checked. */
    static String identity(SesCall call) {
        return call.label("EmailIdentity");
    }

    static Optional<SigningInput> signing(JsonInput body, String field, String originField) {
        return body.optionalObject(field)
                .map(a -> new SigningInput(
                        a.optionalString(originField).map(IdentityShape::origin),
                        a.optionalString("DomainSigningSelector"),
                        a.optionalString("DomainSigningPrivateKey"),
                        a.optionalEnum("NextSigningKeyLength", DkimKeyLength.class)));
    }

    /** SES's DkimSigningAttributesOrigin: AWS_SES or EXTERNAL (the regional AWS_SES_* forms copy keys between regions). */
    static SigningOrigin origin(String text) {
        return switch (text) {
            case "AWS_SES" -> SigningOrigin.AWS_SES;
            case "EXTERNAL" -> SigningOrigin.EXTERNAL;
            default ->
                throw ApiException.badRequest(
                        text.startsWith("AWS_SES_")
                                ? "Signing origin " + text
                                        + " copies a key from another region; PoolMTA has one region, so use"
                                        + " AWS_SES or EXTERNAL."
                                : "Signing origin must be AWS_SES or EXTERNAL, got '"
                                        + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'.");
        };
    }

    static ObjectNode dkim(DkimAttributes dkim) {
        ObjectNode out = Json.object();
        out.put("SigningEnabled", dkim.signingEnabled());
        out.put("Status", dkim.status().name());
        ArrayNode tokens = out.putArray("Tokens");
        dkim.selector().ifPresent(tokens::add);
        dkim.rotation().ifPresent(next -> tokens.add(next.key().selector())); // published beside the current key
        if (dkim.selector().isPresent()) {
            out.put("SigningAttributesOrigin", dkim.origin().name());
            out.put("NextSigningKeyLength", dkim.nextKeyLength().name());
        }
        dkim.currentKeyLength().ifPresent(l -> out.put("CurrentSigningKeyLength", l.name()));
        dkim.lastKeyGeneration().ifPresent(t -> out.put("LastKeyGenerationTimestamp", seconds(t)));
        return out;
    }

    static BigDecimal seconds(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli(), 3);
    }
}
