package io.poolmta.bench;

import io.poolmta.account.AccessKey;
import io.poolmta.api.Caller;
import io.poolmta.api.JsonInput;
import io.poolmta.api.SigV4Signer;
import io.poolmta.api.SigV4Verifier;
import io.poolmta.http.HttpRequest;
import io.poolmta.message.Content;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.Mailbox;
import io.poolmta.message.MimeBuilder;
import io.poolmta.message.RawMessage;
import io.poolmta.message.SimpleMessage;
import io.poolmta.message.TlsPolicy;
import io.poolmta.spool.SpoolFrames;
import io.poolmta.spool.SpooledMessage;
import io.poolmta.submission.DataCommandSteps;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU steps of intake, from the bytes a client sent to the spool's record of the message,
 * without the acceptance rules, DKIM and the write itself: {@code smtp} is a message after DATA
 * (read from the session's buffered input, unstuffed, checked, parsed as Raw content, framed);
 * {@code sendEmail} is a SendEmail request with Simple content (SigV4 verification with its body
 * hash, the JSON parse, the fields read as the handler reads them, MIME, the events' header
 * summary, framed). Bodies of 2 KB and 50 KB in lines of 78 characters, as the end-to-end
 * benchmark sends.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IntakeBenchmark {
    @Param({"2048", "51200"})
    public int bodyBytes;

    private byte[] smtpData;
    private HttpRequest request;
    private SigV4Verifier verifier;
    private MimeBuilder mime;
    private Envelope envelope;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        for (int line = 1; b.length() < bodyBytes; line++) {
            b.append(line)
                    .append("X".repeat(76 - Integer.toString(line).length()))
                    .append("\r\n");
        }
        String body = b.toString();
        smtpData = ("From: <sender@bench.test>\r\nTo: <user@example.com>\r\nSubject: bench\r\n"
                        + "X-SES-CONFIGURATION-SET: pool-a\r\n\r\n" + body + ".\r\nQUIT\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        AccessKey key =
                new AccessKey("AKPMBENCHMARK0000000", "secretsecretsecretsecretsecretsecret1234", "111111111111");
        verifier = new SigV4Verifier(id -> Optional.of(key), Clock.systemUTC());
        byte[] json = ("{\"FromEmailAddress\":\"sender@bench.test\",\"Destination\":{\"ToAddresses\":"
                        + "[\"user@example.com\"]},\"ConfigurationSetName\":\"pool-a\",\"Content\":{\"Simple\":"
                        + "{\"Subject\":{\"Data\":\"bench\"},\"Body\":{\"Text\":{\"Data\":\""
                        + body.replace("\r\n", "\\r\\n") + "\"}}}}}")
                .getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:8580/v2/email/outbound-emails");
        Map<String, String> signed = new SigV4Signer(
                        key.accessKeyId(), key.secretAccessKey(), "us-east-1", Clock.systemUTC())
                .sign("POST", uri, Map.of("content-type", "application/json"), json);
        Map<String, List<String>> headers = new HashMap<>();
        signed.forEach((k, v) -> headers.put(k, List.of(v)));
        headers.put("host", List.of("127.0.0.1:8580"));
        request = new HttpRequest("POST", uri.getRawPath(), null, headers, json, "bench");

        mime = new MimeBuilder(Clock.systemUTC(), "bench.test");
        Instant now = Instant.now();
        envelope = new Envelope(
                "0100018c-bench",
                "111111111111",
                Optional.of("pool-a"),
                "pool-a",
                "sender@bench.test",
                List.of("user@example.com"),
                now,
                now.plusSeconds(86400),
                TlsPolicy.OPTIONAL,
                Map.of(),
                "127.0.0.1");
    }

    @Benchmark
    public byte[] smtp() throws Exception {
        BufferedInputStream session = new BufferedInputStream(new ByteArrayInputStream(smtpData), 8192);
        byte[] content = DataCommandSteps.read(session, RawMessage.MAX_SIZE);
        RawMessage raw = RawMessage.parse(content, "<0100018c-bench@bench.test>", envelope.acceptedAt());
        return SpoolFrames.message(new SpooledMessage(envelope, raw.bytes()));
    }

    @Benchmark
    public byte[] sendEmail() {
        Caller caller = verifier.verify(request);
        JsonInput body = JsonInput.parse(request.body());
        JsonInput simple = body.optionalObject("Content")
                .flatMap(c -> c.optionalObject("Simple"))
                .orElseThrow();
        JsonInput text = simple.optionalObject("Body")
                .flatMap(t -> t.optionalObject("Text"))
                .orElseThrow();
        String to = body.optionalObject("Destination")
                .orElseThrow()
                .node()
                .get("ToAddresses")
                .get(0)
                .asText();
        SimpleMessage message = new SimpleMessage(
                Mailbox.of(body.requiredString("FromEmailAddress")),
                List.of(Mailbox.of(to)),
                List.of(),
                List.of(),
                Content.of(simple.optionalObject("Subject").orElseThrow().requiredString("Data"), null),
                Optional.of(Content.of(
                        text.requiredString("Data"),
                        text.optionalString("Charset").orElse(null))),
                Optional.empty(),
                List.of(),
                List.of());
        byte[] content = mime.build(message, "0100018c-bench");
        MailHeaders headers = MailHeaders.of(content);
        if (headers.truncated() || caller == null) {
            throw new IllegalStateException();
        }
        return SpoolFrames.message(new SpooledMessage(envelope, content));
    }
}
