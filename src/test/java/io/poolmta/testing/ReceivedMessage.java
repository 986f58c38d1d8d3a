package io.poolmta.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A message a {@link ScriptedSmtpServer} accepted (2xx at the end of DATA).
 *
 * @param sessionId the session it came in, as in {@link SmtpSessionRecord#id()}
 * @param sourceAddress the client's IP address (the source the client bound to)
 * @param ehloName the name the client gave in its last EHLO or HELO
 * @param tls whether the session was encrypted when the message came
 * @param mailFrom the sender, without angle brackets ("" for the null sender)
 * @param mailParameters the MAIL FROM parameters as sent, e.g. "SIZE=1234", "BODY=8BITMIME"
 * @param recipients the recipients the server accepted, in order
 * @param data the content as the receiver stores it: dot-stuffing undone, line endings as received
 * @param wireData the content exactly as it came on the wire, without the final ".CRLF"
 */
public record ReceivedMessage(
        int sessionId,
        String sourceAddress,
        String ehloName,
        boolean tls,
        String mailFrom,
        List<String> mailParameters,
        List<String> recipients,
        byte[] data,
        byte[] wireData) {
    public ReceivedMessage {
        mailParameters = List.copyOf(mailParameters);
        recipients = List.copyOf(recipients);
        data = data.clone();
        wireData = wireData.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] wireData() {
        return wireData.clone();
    }

    /** The content decoded as UTF-8. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
