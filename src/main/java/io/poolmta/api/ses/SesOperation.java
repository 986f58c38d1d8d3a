package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One SES v2 operation: reads the call, acts through a domain service, returns the output shape. */
@FunctionalInterface
public interface SesOperation {
    ObjectNode handle(SesCall call);
}
