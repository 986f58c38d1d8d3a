package io.poolmta.template;

/**
 * A template could not be rendered with the data given: a variable it needs has no value, or the
 * output grew past its limit. The message is written for the sender (it becomes a Rendering Failure
 * event's {@code failure.errorMessage}, or TestRenderEmailTemplate's BadRequest).
 */
public final class RenderingFailure extends RuntimeException {
    private final String templateName;

    public RenderingFailure(String templateName, String message) {
        super(message, null, false, false);
        this.templateName = templateName;
    }

    public String templateName() {
        return templateName;
    }
}
