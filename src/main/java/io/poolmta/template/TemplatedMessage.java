package io.poolmta.template;

import io.poolmta.message.Attachment;
import io.poolmta.message.MessageHeader;
import io.poolmta.message.MessageTag;
import java.util.List;
import java.util.Optional;

/**
 * One templated message to send: everything a Simple message has except its content, which is
 * {@code template} rendered with {@code data}. {@code from}, {@code to}, {@code cc},
 * {@code replyTo} are header addresses as the client wrote them; {@code bcc} go to the envelope only.
 * {@code attachments} are attached to the rendered message as to a Simple one (SES: every recipient
 * receives the same attachments).
 */
public record TemplatedMessage(
        Optional<String> configurationSet,
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        List<String> replyTo,
        CompiledTemplate template,
        TemplateData data,
        List<MessageHeader> headers,
        List<MessageTag> tags,
        List<Attachment> attachments) {

    public TemplatedMessage {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        headers = List.copyOf(headers);
        tags = List.copyOf(tags);
        attachments = List.copyOf(attachments);
    }
}
