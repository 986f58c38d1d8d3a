package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.common.PoolMtaException;
import io.poolmta.message.Attachment;
import io.poolmta.message.Content;
import io.poolmta.message.EmailAddresses;
import io.poolmta.message.Mailbox;
import io.poolmta.message.MessageHeader;
import io.poolmta.message.MessageTag;
import io.poolmta.message.SimpleMessage;
import io.poolmta.sending.MessageIntake;
import io.poolmta.sending.SenderRules;
import io.poolmta.template.CompiledTemplate;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplatedMessage;
import io.poolmta.template.TemplatedSender;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * POST /v2/email/outbound-emails: Simple or Raw content, Destination (To/Cc/Bcc, at most 50),
 * FromEmailAddress, ReplyToAddresses, ConfigurationSetName, EmailTags. Answers MessageId once the
 * message is on stable storage. Template content (TemplateName, TemplateArn or TemplateContent,
 * TemplateData, Headers, Attachments) is rendered by the {@link TemplatedSender} and then sent as
 * Simple content.
 */
public final class SendEmail implements SesOperation {
    private final MessageIntake intake;
    private final TemplatedSender templated;

    public SendEmail(MessageIntake intake, TemplatedSender templated) {
        this.intake = intake;
        this.templated = templated;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        try {
            return send(call);
        } catch (PoolMtaException refusal) {
            throw SenderRules.inRegion(refusal, call.caller().region());
        }
    }

    private ObjectNode send(SesCall call) {
        JsonInput body = call.body();
        JsonInput content = body.optionalObject("Content")
                .orElseThrow(() -> ApiException.badRequest("Field 'Content' is required."));
        Optional<String> set = body.optionalString("ConfigurationSetName").filter(s -> !s.isEmpty());
        Optional<String> from = body.optionalString("FromEmailAddress").filter(s -> !s.isEmpty());
        Optional<JsonInput> destination = body.optionalObject("Destination");
        List<String> to = addresses(destination, "ToAddresses");
        List<String> cc = addresses(destination, "CcAddresses");
        List<String> bcc = addresses(destination, "BccAddresses");
        List<String> recipients = new ArrayList<>(to);
        recipients.addAll(cc);
        recipients.addAll(bcc);
        List<MessageTag> tags = body.optionalList("EmailTags", e -> {
                    JsonInput tag = e.object();
                    return new MessageTag(tag.requiredString("Name"), tag.requiredString("Value"));
                })
                .orElse(List.of());

        int kinds = (content.has("Simple") ? 1 : 0) + (content.has("Raw") ? 1 : 0) + (content.has("Template") ? 1 : 0);
        if (kinds != 1) {
            throw ApiException.badRequest("Content must hold exactly one of Simple, Raw or Template.");
        }
        String messageId;
        if (content.has("Template")) {
            messageId = sendTemplate(
                    call,
                    content.optionalObject("Template").orElseThrow(),
                    set,
                    from,
                    to,
                    cc,
                    bcc,
                    addressesOf(body, "ReplyToAddresses"),
                    tags);
        } else if (content.has("Raw")) {
            String data = content.optionalObject("Raw").orElseThrow().requiredString("Data");
            byte[] raw;
            try {
                raw = Base64.getMimeDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("Content.Raw.Data must be base64-encoded.");
            }
            messageId = intake.sendRaw(call.accountId(), set, raw, from, recipients, tags, call.clientAddress());
        } else {
            JsonInput simple = content.optionalObject("Simple").orElseThrow();
            if (from.isEmpty()) {
                throw ApiException.badRequest("Field 'FromEmailAddress' is required with Simple content.");
            }
            if (recipients.isEmpty()) {
                throw ApiException.badRequest("Destination must name at least one recipient.");
            }
            SimpleMessage message = simple(simple, from.get(), to, cc, addressesOf(body, "ReplyToAddresses"));
            messageId = intake.sendSimple(call.accountId(), set, message, recipients, tags, call.clientAddress());
        }
        return Json.object().put("MessageId", messageId);
    }

    private String sendTemplate(
            SesCall call,
            JsonInput template,
            Optional<String> set,
            Optional<String> from,
            List<String> to,
            List<String> cc,
            List<String> bcc,
            List<String> replyTo,
            List<MessageTag> tags) {
        TemplatedSender sender = templated;
        if (from.isEmpty()) {
            throw ApiException.badRequest("Field 'FromEmailAddress' is required with Template content.");
        }
        List<Attachment> attachments = attachments(template);
        List<MessageHeader> headers = TemplateShapes.headers(template, "Headers");
        TemplateData data = TemplateShapes.data(template, "TemplateData", "Content.Template.TemplateData");
        CompiledTemplate compiled = sender.resolve(call.accountId(), TemplateShapes.ref(template));
        return sender.send(
                call.accountId(),
                new TemplatedMessage(set, from.get(), to, cc, bcc, replyTo, compiled, data, headers, tags, attachments),
                call.clientAddress());
    }

    private static SimpleMessage simple(
            JsonInput simple, String from, List<String> to, List<String> cc, List<String> replyTo) {
        JsonInput subject = simple.optionalObject("Subject")
                .orElseThrow(() -> ApiException.badRequest("Field 'Content.Simple.Subject' is required."));
        JsonInput bodyPart = simple.optionalObject("Body")
                .orElseThrow(() -> ApiException.badRequest("Field 'Content.Simple.Body' is required."));
        Optional<Content> text = bodyPart.optionalObject("Text").map(SendEmail::content);
        Optional<Content> html = bodyPart.optionalObject("Html").map(SendEmail::content);
        List<MessageHeader> headers = simple.optionalList("Headers", e -> {
                    JsonInput h = e.object();
                    return new MessageHeader(h.requiredString("Name"), h.requiredString("Value"));
                })
                .orElse(List.of());
        List<Attachment> attachments = attachments(simple);
        return new SimpleMessage(
                EmailAddresses.parse(from, "FromEmailAddress"),
                mailboxes(to, "Destination.ToAddresses"),
                mailboxes(cc, "Destination.CcAddresses"),
                mailboxes(replyTo, "ReplyToAddresses"),
                content(subject),
                text,
                html,
                headers,
                attachments);
    }

    /** The Attachments of Simple or Template content (none when absent). */
    static List<Attachment> attachments(JsonInput content) {
        return content.optionalList("Attachments", e -> {
                    JsonInput a = e.object();
                    byte[] raw;
                    try {
                        raw = Base64.getMimeDecoder().decode(a.requiredString("RawContent"));
                    } catch (IllegalArgumentException bad) {
                        throw ApiException.badRequest("Field '" + e.path() + ".RawContent' must be base64-encoded.");
                    }
                    return new Attachment(
                            a.requiredString("FileName"),
                            a.optionalString("ContentType").orElse(null),
                            a.optionalEnum("ContentDisposition", Attachment.Disposition.class)
                                    .orElse(null),
                            a.optionalString("ContentId"),
                            a.optionalString("ContentDescription"),
                            a.optionalEnum("ContentTransferEncoding", Attachment.TransferEncoding.class)
                                    .orElse(null),
                            raw);
                })
                .orElse(List.of());
    }

    private static Content content(JsonInput part) {
        return Content.of(
                part.requiredString("Data"), part.optionalString("Charset").orElse(null));
    }

    private static List<Mailbox> mailboxes(List<String> addresses, String field) {
        List<Mailbox> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            out.add(EmailAddresses.parse(addresses.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static List<String> addresses(Optional<JsonInput> destination, String field) {
        return destination.map(d -> addressesOf(d, field)).orElse(List.of());
    }

    private static List<String> addressesOf(JsonInput input, String field) {
        return input.optionalList(field, JsonInput.Element::string).orElse(List.of());
    }
}
