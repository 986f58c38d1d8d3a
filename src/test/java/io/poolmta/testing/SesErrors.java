package io.poolmta.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/** Asserts that an SDK call failed with the modelled SES exception, status and a helpful message. */
public final class SesErrors {
    private SesErrors() {}

    public static <E extends SesV2Exception> E expectError(ThrowingCallable call, Class<E> type, int status) {
        E error = catchThrowableOfType(type, call);
        assertThat(error).as("expected %s", type.getSimpleName()).isNotNull();
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo(type.getSimpleName());
        assertThat(error.awsErrorDetails().errorMessage())
                .isNotBlank()
                .doesNotContain("Exception:")
                .doesNotContain("\tat ");
        return error;
    }
}
