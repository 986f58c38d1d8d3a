package io.poolmta.submission;

import java.io.IOException;
import java.io.InputStream;
import org.subethamail.smtp.RejectException;

/**
 * What DATA does with a message's text before the intake, for benchmarks outside this package:
 * reads it from the session's input ({@link SmtpDataStream}, at most {@code max} bytes) and checks
 * its bytes, as {@link BulkDataCommand} and {@link SubmissionTransaction#data} do.
 */
public final class DataCommandSteps {
    private DataCommandSteps() {}

    /** {@code session} must support mark/reset, as the session's buffered input does. */
    public static byte[] read(InputStream session, int max) throws IOException, RejectException {
        byte[] content = SubmissionTransaction.readAtMost(new SmtpDataStream(session), max);
        SubmissionTransaction.checkBytes(content, false);
        return content;
    }
}
