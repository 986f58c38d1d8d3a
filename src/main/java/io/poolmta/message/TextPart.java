package io.poolmta.message;

/**
 * One text leaf of a Simple message ready for MIME: its Content-Type ({@code text/<subtype>;
 * charset=<name>}), its bytes in that charset with CRLF line breaks, and the transfer encoding
 * {@link TransferEncodings#forText} chose for them. The array is not copied: it never leaves
 * {@link MimeBuilder}.
 */
record TextPart(String contentType, byte[] bytes, String transferEncoding) {

    /** {@code subtype} is "plain" or "html". */
    static TextPart of(Content content, String subtype) {
        byte[] bytes = content.canonicalLines().getBytes(content.charset());
        return new TextPart(
                "text/" + subtype + "; charset=" + content.charset().name(), bytes, TransferEncodings.forText(bytes));
    }
}
