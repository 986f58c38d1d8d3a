package io.poolmta.template;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * A rendered template as the MIME text TestRenderEmailTemplate answers, like SES's: Date, Subject,
 * MIME-Version and the body (text/plain, text/html, or multipart/alternative of both), UTF-8; no
 * addresses, since a test render has none.
 */
public final class RenderedMime {
    private static final Session SESSION = Session.getInstance(new Properties());

    private RenderedMime() {}

    public static String of(RenderedEmail email) {
        try {
            MimeMessage mime = new MimeMessage(SESSION) {
                @Override
                protected void updateMessageID() throws MessagingException {
                    removeHeader("Message-ID");
                }
            };
            mime.setSubject(email.subject(), "UTF-8");
            if (email.text().isPresent() && email.html().isPresent()) {
                MimeMultipart alternative = new MimeMultipart("alternative");
                alternative.addBodyPart(part(email.text().get(), "plain"));
                alternative.addBodyPart(part(email.html().get(), "html"));
                mime.setContent(alternative);
            } else if (email.text().isPresent()) {
                mime.setText(email.text().get(), "UTF-8", "plain");
            } else {
                mime.setText(email.html().orElse(""), "UTF-8", "html");
            }
            mime.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            mime.writeTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("MIME rendering failed: " + e.getMessage(), e);
        }
    }

    private static MimeBodyPart part(String text, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, "UTF-8", subtype);
        return part;
    }
}
