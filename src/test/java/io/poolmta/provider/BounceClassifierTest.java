package io.poolmta.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled rules on the replies the big providers send: enhanced status codes first, then the
 * texts, then the class of the code.
 */
class BounceClassifierTest {
    private final BounceClassifier classifier = BounceClassifier.standard();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            550-5.1.1 The email account that you tried to reach does not exist. Please try | Permanent | NoEmail
            550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup | Permanent | NoEmail
            554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] | Permanent | NoEmail
            550 5.4.1 Recipient address rejected: Access denied. AS(201806281) | Permanent | NoEmail
            550 Requested action not taken: mailbox unavailable | Permanent | NoEmail
            550 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table | Permanent | NoEmail
            552-5.2.2 The email account that you tried to reach is over quota. | Transient | MailboxFull
            452 4.2.2 The email account that you tried to reach is over quota | Transient | MailboxFull
            552 5.3.4 Message size exceeds fixed maximum message size | Transient | MessageTooLarge
            552 Message size exceeds maximum permitted | Transient | MessageTooLarge
            550-5.7.1 Our system has detected that this message is likely unsolicited mail. | Transient | ContentRejected
            554 Message not allowed - [PH01] Email not accepted for policy reasons. | Transient | ContentRejected
            552-5.7.0 This message was blocked because its content presents a potential security issue. attachment | Transient | AttachmentRejected
            550 5.1.1 Address on the suppression list | Permanent | NoEmail
            550 Recipient is suppressed by policy | Permanent | Suppressed
            550 5.7.1 Service unavailable; client host [192.0.2.1] blocked using Spamhaus | Permanent | General
            554 5.0.0 transaction failed | Permanent | General
            451 4.3.0 temporary failure | Transient | General
            something odd happened | Undetermined | Undetermined
            """)
    void classifiesProviderReplies(String reply, String type, String subType) {
        assertThat(classifier.classifyReply(reply)).isEqualTo(new BounceVerdict(type, subType));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            5.1.1 | mailbox full | Permanent | NoEmail
            5.0.0 | mailbox full | Transient | MailboxFull
            4.4.7 | delivery time expired | Transient | General
            5.7.1 | | Permanent | General
            """)
    void aStatusWithARuleComesBeforeTheText(String status, String text, String type, String subType) {
        assertThat(classifier.classify(Optional.of(status), 0, text == null ? "" : text))
                .isEqualTo(new BounceVerdict(type, subType));
    }

    @Test
    void enormousTextIsBounded() {
        String huge = "x".repeat(5_000_000) + " mailbox full";
        assertThat(classifier.classify(Optional.empty(), 550, huge)).isEqualTo(BounceVerdict.PERMANENT_GENERAL);
    }
}
