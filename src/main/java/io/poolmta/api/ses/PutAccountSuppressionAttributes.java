package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.JsonInput;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.suppression.SuppressionReason;
import java.util.Set;

/**
 * PUT /v2/email/account/suppression: the reasons for which the account's list grows by itself and
 * is acted on (an absent or empty SuppressedReasons turns both off). ValidationAttributes (SES's
 * address validation) is checked for its shape and not acted on: PoolMTA has no validation service.
 */
public final class PutAccountSuppressionAttributes implements SesOperation {
    private enum FeatureStatus {
        ENABLED,
        DISABLED
    }

    private enum Verdict {
        MEDIUM,
        HIGH,
        MANAGED
    }

    private final SuppressionList list;

    public PutAccountSuppressionAttributes(SuppressionList list) {
        this.list = list;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Set<SuppressionReason> reasons = SuppressionShapes.reasons(call.body(), "SuppressedReasons");
        call.body().optionalObject("ValidationAttributes").ifPresent(v -> {
            JsonInput threshold = v.optionalObject("ConditionThreshold")
                    .orElseThrow(() ->
                            ApiException.badRequest("Field 'ValidationAttributes.ConditionThreshold' is required."));
            threshold.optionalEnum("ConditionThresholdEnabled", FeatureStatus.class);
            threshold
                    .optionalObject("OverallConfidenceThreshold")
                    .ifPresent(o -> o.optionalEnum("ConfidenceVerdictThreshold", Verdict.class));
        });
        list.putAccountReasons(call.accountId(), reasons);
        return SesShapes.empty();
    }
}
