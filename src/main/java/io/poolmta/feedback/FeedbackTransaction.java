package io.poolmta.feedback;

import io.poolmta.message.ReturnPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction on the feedback listener. Any envelope sender (bounces come from the null
 * sender). A recipient is accepted only when it is a return path PoolMTA issued: a PoolMTA message
 * id at the bounce domain, or at a verified custom MAIL FROM domain of the account that sent that
 * message, for a message the ledger knows; anything else is refused at RCPT with 550 5.1.1 (the
 * listener relays nothing). The report is read whole up to the size limit (beyond it the rest is
 * read, discarded and the message refused with 552 5.3.4) and processed once per accepted
 * recipient before the 250.
 */
final class FeedbackTransaction implements MessageHandler {
    private final FeedbackSettings settings;
    private final SentLedger ledger;
    private final FeedbackIdentities identities;
    private final FeedbackProcessor processor;
    private final List<ReturnPath> recipients = new ArrayList<>();

    FeedbackTransaction(
            FeedbackSettings settings, SentLedger ledger, FeedbackIdentities identities, FeedbackProcessor processor) {
        this.settings = settings;
        this.ledger = ledger;
        this.identities = identities;
        this.processor = processor;
    }

    @Override
    public void from(String from) {
        // any sender: reports come from the null sender or from the provider's feedback address
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (recipients.size() >= settings.maxRecipients()) {
            throw new RejectException(452, "4.5.3 Too many recipients");
        }
        ReturnPath returnPath = accepted(recipient)
                .orElseThrow(
                        () -> new RejectException(550, "5.1.1 No such return path here; this server relays nothing"));
        recipients.add(returnPath);
    }

    /** The return path an address is, when this listener takes mail for it. */
    Optional<ReturnPath> accepted(String recipient) {
        Optional<ReturnPath> parsed = ReturnPath.parse(recipient);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        ReturnPath returnPath = parsed.get();
        Optional<SentMessage> message = ledger.find(returnPath.messageId());
        if (message.isEmpty()) {
            return Optional.empty();
        }
        String domain = returnPath.domain();
        boolean ours = domain.equals(settings.bounceDomain())
                || identities.isMailFromDomain(message.get().accountId(), domain);
        return ours ? Optional.of(returnPath) : Optional.empty();
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        byte[] content = data.readNBytes(settings.maxReportBytes() + 1);
        if (content.length > settings.maxReportBytes()) {
            data.transferTo(OutputStream.nullOutputStream());
            throw new RejectException(
                    552, "5.3.4 Report exceeds the maximum size of " + settings.maxReportBytes() + " bytes");
        }
        int effect = 0;
        for (ReturnPath rp : recipients) {
            effect += processor.process(rp, content).hadEffect() ? 1 : 0;
        }
        return "2.6.0 Report received" + (effect == 0 ? " (no effect)" : "");
    }

    @Override
    public void done() {}
}
