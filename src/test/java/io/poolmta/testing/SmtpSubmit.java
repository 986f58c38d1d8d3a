package io.poolmta.testing;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * One plain-text message to to@example.com through a test server's SMTP submission, after STARTTLS
 * and AUTH: from s@acme.test, or from any sender with a configuration set header.
 */
public final class SmtpSubmit {
    private SmtpSubmit() {}

    /**
     * Jakarta Mail's settings for PoolMTA's submission port at {@code host:port} on loopback:
     * STARTTLS required (AUTH is offered only after it), AUTH on, the server's self-signed
     * certificate trusted for 127.0.0.1.
     */
    public static Properties properties(String host, int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.trust", "127.0.0.1");
        return props;
    }

    public static void send(TestServer server, String user, String password, String subject) throws MessagingException {
        send(server, user, password, "s@acme.test", null, subject);
    }

    /** From {@code from}, with {@code X-SES-CONFIGURATION-SET: configurationSet} unless it is null. */
    public static void send(
            TestServer server, SmtpCredentials credentials, String from, String configurationSet, String subject)
            throws MessagingException {
        send(server, credentials.username(), credentials.password(), from, configurationSet, subject);
    }

    private static void send(
            TestServer server, String user, String password, String from, String configurationSet, String subject)
            throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(properties("127.0.0.1", server.smtpPort())));
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, "to@example.com");
        if (configurationSet != null) {
            message.setHeader("X-SES-CONFIGURATION-SET", configurationSet);
        }
        message.setSubject(subject);
        message.setText("b");
        Transport.send(message, user, password);
    }
}
