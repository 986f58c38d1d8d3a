package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A file attached to a Simple message (SES {@code Attachment}). A null content type is guessed from
 * the file name's extension (else {@code application/octet-stream}); a null disposition means
 * {@code ATTACHMENT}; a null transfer encoding means {@code BASE64}. The requested encoding is used
 * when it carries the bytes unchanged, else base64 (see {@link MimeBuilder}). Invariants: the file
 * name is 1-255 characters, and no text field holds a line break or other control character. The
 * content array is copied in and out.
 */
public record Attachment(
        String fileName,
        String contentType,
        Disposition disposition,
        Optional<String> contentId,
        Optional<String> description,
        TransferEncoding transferEncoding,
        byte[] content) {

    /** How the attachment is shown (SES {@code AttachmentContentDisposition}). */
    public enum Disposition {
        ATTACHMENT,
        INLINE
    }

    /** How the bytes are written (SES {@code AttachmentContentTransferEncoding}). */
    public enum TransferEncoding {
        BASE64,
        QUOTED_PRINTABLE,
        SEVEN_BIT
    }

    public static final int MAX_FILE_NAME_LENGTH = 255;
    public static final int MAX_CONTENT_TYPE_LENGTH = 78;
    public static final int MAX_CONTENT_ID_LENGTH = 78;
    public static final int MAX_DESCRIPTION_LENGTH = 1000;

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern CONTENT_TYPE = Pattern.compile(TOKEN + "/" + TOKEN + "(\\s*;[ -~]*)?");
    private static final Pattern CONTENT_ID = Pattern.compile("[!-~&&[^<>\"\\\\]]+");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"),
            Map.entry("htm", "text/html"),
            Map.entry("html", "text/html"),
            Map.entry("ics", "text/calendar"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("mp4", "video/mp4"));

    public Attachment {
        if (fileName == null || fileName.isEmpty()) {
            throw PoolMtaException.badRequest("Attachment FileName is required.");
        }
        if (fileName.length() > MAX_FILE_NAME_LENGTH || hasControl(fileName)) {
            throw PoolMtaException.badRequest("Attachment FileName '" + UserText.shown(fileName)
                    + "' must be at most 255 characters, without line breaks or control characters.");
        }
        contentType = contentType == null || contentType.isBlank() ? guessType(fileName) : contentType.strip();
        if (contentType.length() > MAX_CONTENT_TYPE_LENGTH
                || !CONTENT_TYPE.matcher(contentType).matches()) {
            throw PoolMtaException.badRequest("Attachment ContentType '" + UserText.shown(contentType) + "' of "
                    + fileName + " is not a MIME type like application/pdf (at most 78 characters).");
        }
        if (contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw PoolMtaException.badRequest("Attachment ContentType of " + fileName + " must not be multipart/*.");
        }
        disposition = disposition == null ? Disposition.ATTACHMENT : disposition;
        contentId =
                Objects.requireNonNullElse(contentId, Optional.<String>empty()).map(Attachment::bareContentId);
        contentId.ifPresent(id -> {
            if (id.isEmpty()
                    || id.length() > MAX_CONTENT_ID_LENGTH
                    || !CONTENT_ID.matcher(id).matches()) {
                throw PoolMtaException.badRequest("Attachment ContentId '" + UserText.shown(id) + "' of " + fileName
                        + " must be 1-78 printable ASCII characters without spaces, quotes or angle brackets.");
            }
        });
        description = Objects.requireNonNullElse(description, Optional.<String>empty());
        description.ifPresent(text -> {
            if (text.length() > MAX_DESCRIPTION_LENGTH || hasControl(text)) {
                throw PoolMtaException.badRequest("Attachment ContentDescription of " + fileName
                        + " must be at most 1000 characters, without line breaks or control characters.");
            }
        });
        transferEncoding = transferEncoding == null ? TransferEncoding.BASE64 : transferEncoding;
        if (content == null) {
            throw PoolMtaException.badRequest("Attachment RawContent of " + fileName + " is required.");
        }
        content = content.clone();
    }

    /** An attachment with the defaults: guessed type, ATTACHMENT, base64. */
    public static Attachment of(String fileName, byte[] content) {
        return new Attachment(fileName, null, null, Optional.empty(), Optional.empty(), null, content);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content without a copy, for the builder in this package. */
    byte[] contentView() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attachment a
                && fileName.equals(a.fileName)
                && contentType.equals(a.contentType)
                && disposition == a.disposition
                && contentId.equals(a.contentId)
                && description.equals(a.description)
                && transferEncoding == a.transferEncoding
                && Arrays.equals(content, a.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, disposition, contentId, description, transferEncoding) * 31
                + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + contentType + ", " + disposition + ", " + content.length + " bytes]";
    }

    private static String bareContentId(String id) {
        String bare = id.strip();
        return bare.startsWith("<") && bare.endsWith(">") && bare.length() >= 2
                ? bare.substring(1, bare.length() - 1)
                : bare;
    }

    private static String guessType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
