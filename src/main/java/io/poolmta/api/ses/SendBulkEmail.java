package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.common.PoolMtaException;
import io.poolmta.message.Attachment;
import io.poolmta.message.MessageHeader;
import io.poolmta.message.MessageTag;
import io.poolmta.sending.SenderRules;
import io.poolmta.template.BulkEntryResult;
import io.poolmta.template.CompiledTemplate;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplatedMessage;
import io.poolmta.template.TemplatedSender;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * POST /v2/email/outbound-bulk-emails: DefaultContent.Template (TemplateName, TemplateArn or
 * TemplateContent; TemplateData; Headers; Attachments, the same for every entry) sent to 1-50
 * BulkEmailEntries, each its own message with its Destination, its ReplacementTemplateData (its
 * keys over the default data's), its ReplacementHeaders (over the template's headers of the same
 * name) and its ReplacementTags (over DefaultEmailTags of the same name). Refused as a whole: a bad
 * template, default data, attachment or sender, no entries or more than 50, a configuration set
 * that does not exist or is paused. Otherwise each entry gets its own BulkEmailEntryResult in
 * order: SUCCESS with its MessageId (also when its rendering fails: a Rendering Failure event
 * follows, as in SES), or the status and error of its refusal (INVALID_PARAMETER for bad
 * addresses, headers or data, MESSAGE_REJECTED, ...).
 */
public final class SendBulkEmail implements SesOperation {
    public static final int MAX_ENTRIES = 50;

    private final TemplatedSender sender;

    public SendBulkEmail(TemplatedSender sender) {
        this.sender = sender;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        JsonInput body = call.body();
        JsonInput template = body.optionalObject("DefaultContent")
                .flatMap(c -> c.optionalObject("Template"))
                .orElseThrow(() -> ApiException.badRequest("Field 'DefaultContent.Template' is required."));
        List<JsonInput> entries = body.optionalList("BulkEmailEntries", JsonInput.Element::object)
                .orElseThrow(() -> ApiException.badRequest("Field 'BulkEmailEntries' is required."));
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw ApiException.badRequest(
                    "BulkEmailEntries must have 1 to " + MAX_ENTRIES + " entries, got " + entries.size() + ".");
        }
        String from = body.optionalString("FromEmailAddress")
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("Field 'FromEmailAddress' is required."));
        Optional<String> set = body.optionalString("ConfigurationSetName").filter(s -> !s.isEmpty());
        List<Attachment> attachments = SendEmail.attachments(template);
        List<String> replyTo =
                body.optionalList("ReplyToAddresses", JsonInput.Element::string).orElse(List.of());
        List<MessageTag> defaultTags = tags(body, "DefaultEmailTags");
        List<MessageHeader> defaultHeaders = TemplateShapes.headers(template, "Headers");
        TemplateData defaultData =
                TemplateShapes.data(template, "TemplateData", "DefaultContent.Template.TemplateData");
        sender.checkCanSend(call.accountId(), set);
        try {
            sender.checkSender(call.accountId(), from);
        } catch (PoolMtaException refusal) {
            throw SenderRules.inRegion(refusal, call.caller().region());
        }
        CompiledTemplate compiled = sender.resolve(call.accountId(), TemplateShapes.ref(template));

        ObjectNode out = Json.object();
        ArrayNode results = out.putArray("BulkEmailEntryResults");
        for (int i = 0; i < entries.size(); i++) {
            JsonInput entry = entries.get(i);
            String path = "BulkEmailEntries[" + i + "]";
            BulkEntryResult result;
            try {
                result = sender.sendEntry(
                        call.accountId(),
                        () -> message(
                                entry,
                                path,
                                set,
                                from,
                                replyTo,
                                compiled,
                                defaultData,
                                defaultHeaders,
                                defaultTags,
                                attachments),
                        call.clientAddress());
            } catch (ApiException e) {
                result = BulkEntryResult.failed(BulkEntryResult.INVALID_PARAMETER, e.getMessage());
            }
            ObjectNode item = results.addObject().put("Status", result.status());
            result.error().ifPresent(e -> item.put("Error", e));
            result.messageId().ifPresent(id -> item.put("MessageId", id));
        }
        return out;
    }

    private static TemplatedMessage message(
            JsonInput entry,
            String path,
            Optional<String> set,
            String from,
            List<String> replyTo,
            CompiledTemplate template,
            TemplateData defaultData,
            List<MessageHeader> defaultHeaders,
            List<MessageTag> defaultTags,
            List<Attachment> attachments) {
        JsonInput destination = entry.optionalObject("Destination")
                .orElseThrow(() -> ApiException.badRequest("Field '" + path + ".Destination' is required."));
        TemplateData data = entry.optionalObject("ReplacementEmailContent")
                .flatMap(c -> c.optionalObject("ReplacementTemplate"))
                .flatMap(t -> t.optionalString("ReplacementTemplateData"))
                .map(json -> defaultData.with(TemplateData.parse(
                        json, path + ".ReplacementEmailContent.ReplacementTemplate.ReplacementTemplateData")))
                .orElse(defaultData);
        List<MessageHeader> headers = merge(defaultHeaders, TemplateShapes.headers(entry, "ReplacementHeaders"));
        Map<String, MessageTag> tags = new LinkedHashMap<>();
        defaultTags.forEach(t -> tags.put(t.name(), t));
        tags(entry, "ReplacementTags").forEach(t -> tags.put(t.name(), t));
        return new TemplatedMessage(
                set,
                from,
                addresses(destination, "ToAddresses"),
                addresses(destination, "CcAddresses"),
                addresses(destination, "BccAddresses"),
                replyTo,
                template,
                data,
                headers,
                List.copyOf(tags.values()),
                attachments);
    }

    /** The template's headers, except those a replacement header of the same name takes the place of. */
    private static List<MessageHeader> merge(List<MessageHeader> defaults, List<MessageHeader> replacements) {
        if (replacements.isEmpty()) {
            return defaults;
        }
        Map<String, List<MessageHeader>> byName = new LinkedHashMap<>();
        for (MessageHeader h : defaults) {
            byName.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h);
        }
        Map<String, List<MessageHeader>> replaced = new LinkedHashMap<>();
        for (MessageHeader h : replacements) {
            replaced.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h);
        }
        byName.putAll(replaced);
        return byName.values().stream().flatMap(List::stream).toList();
    }

    private static List<String> addresses(JsonInput destination, String field) {
        return destination.optionalList(field, JsonInput.Element::string).orElse(List.of());
    }

    private static List<MessageTag> tags(JsonInput input, String field) {
        return input.optionalList(field, e -> {
                    JsonInput tag = e.object();
                    return new MessageTag(tag.requiredString("Name"), tag.requiredString("Value"));
                })
                .orElse(List.of());
    }
}
