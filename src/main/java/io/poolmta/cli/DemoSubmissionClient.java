package io.poolmta.cli;

import io.poolmta.submission.TlsCertificates;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The demo's mail client for one server's SMTP submission port, configured as an application's
 * mail library is: STARTTLS required (the server offers AUTH only after it), the server's
 * certificate checked — the self-signed one it generated in its data directory is the only one
 * trusted, and its name (127.0.0.1) must match — then AUTH with the account's SMTP credentials. One
 * connection carries every message (Jakarta Mail, the library Java applications send with).
 */
final class DemoSubmissionClient implements AutoCloseable {
    private final Session session;
    private final Transport transport;

    private DemoSubmissionClient(Session session, Transport transport) {
        this.session = session;
        this.transport = transport;
    }

    /** Connects to {@code smtpAddress} (HOST:PORT) and authenticates. */
    static DemoSubmissionClient connect(String smtpAddress, Path serverDataDir, String username, String password)
            throws IOException, MessagingException {
        int colon = smtpAddress.lastIndexOf(':');
        Properties props = new Properties();
        props.put("mail.smtp.host", smtpAddress.substring(0, colon));
        props.put("mail.smtp.port", smtpAddress.substring(colon + 1));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", trusting(serverDataDir).getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "30000");
        Session session = Session.getInstance(props);
        Transport transport = session.getTransport("smtp");
        transport.connect(username, password);
        return new DemoSubmissionClient(session, transport);
    }

    /**
     * Sends a plain-text message; {@code configurationSet} goes in the
     * {@code X-SES-CONFIGURATION-SET} header as with Amazon SES (null: none).
     */
    void send(String from, String to, String configurationSet, String subject, String text) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipients(Message.RecipientType.TO, to);
        if (configurationSet != null) {
            message.setHeader("X-SES-CONFIGURATION-SET", configurationSet);
        }
        message.setSubject(subject);
        message.setText(text);
        message.saveChanges();
        transport.sendMessage(message, message.getAllRecipients());
    }

    @Override
    public void close() throws MessagingException {
        transport.close();
    }

    /** TLS that trusts only the certificate the server generated in its data directory. */
    private static SSLContext trusting(Path serverDataDir) throws IOException {
        Path file = serverDataDir.resolve(TlsCertificates.GENERATED_FILE);
        try {
            KeyStore generated = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                generated.load(in, TlsCertificates.GENERATED_PASSWORD.toCharArray());
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            for (String alias : Collections.list(generated.aliases())) {
                trusted.setCertificateEntry(alias, generated.getCertificate(alias));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the server's certificate in " + file + ": " + e.getMessage(), e);
        }
    }
}
