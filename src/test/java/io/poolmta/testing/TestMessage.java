package io.poolmta.testing;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * A SendEmail with Simple content where every field has a default (from {@code s@acme.test},
 * subject "subject", text body "b", no configuration set): a test names only what it is about.
 */
public record TestMessage(
        String from, List<String> to, String subject, String body, Optional<String> configurationSet) {
    public TestMessage {
        to = List.copyOf(to);
    }

    /** A message to {@code recipients}, every other field defaulted. */
    public static TestMessage to(String... recipients) {
        return new TestMessage("s@acme.test", List.of(recipients), "subject", "b", Optional.empty());
    }

    public TestMessage from(String address) {
        return new TestMessage(address, to, subject, body, configurationSet);
    }

    public TestMessage subject(String text) {
        return new TestMessage(from, to, text, body, configurationSet);
    }

    public TestMessage body(String text) {
        return new TestMessage(from, to, subject, text, configurationSet);
    }

    public TestMessage configurationSet(String name) {
        return new TestMessage(from, to, subject, body, Optional.of(name));
    }

    public SendEmailRequest request() {
        return SendEmailRequest.builder()
                .fromEmailAddress(from)
                .destination(d -> d.toAddresses(to))
                .configurationSetName(configurationSet.orElse(null))
                .content(c -> c.simple(s -> s.subject(x -> x.data(subject)).body(b -> b.text(x -> x.data(body)))))
                .build();
    }

    /** Sends it with {@code ses}; returns the message id. */
    public String sendWith(SesV2Client ses) {
        return ses.sendEmail(request()).messageId();
    }
}
