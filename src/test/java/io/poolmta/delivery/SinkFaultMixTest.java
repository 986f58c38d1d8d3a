package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.spool.FileSpool;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.RecipientVerdict;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpFaultMix;
import io.poolmta.testing.SmtpFaultMix.Odds;
import io.poolmta.testing.SmtpSessionRecord;
import io.poolmta.testing.SmtpStage;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Issue 5, "sink fault mix": two receiving servers answer at random with 4xx, 5xx, dropped
 * connections (mid-DATA and after the final ".", too) and slow replies, at every stage from the
 * greeting to the end of data; a few hundred messages, some with several recipients in two domains,
 * go in through the SES API and SMTP submission; the test moves the clock through every retry until
 * past every expiry. Then every recipient must have exactly the one final event that what the sinks
 * told PoolMTA calls for: the sinks record, per recipient and attempt, what they replied or that
 * they hung up ({@link RecipientVerdict}), and the last word decides: 2xx after "." → Delivery,
 * 5xx → Permanent bounce, nothing final → Transient bounce at expiry; every 4xx or drop shows as a
 * DeliveryDelay. Duplicates at a sink only where it lost its reply to ".".
 * <p>
 * The fault mix is seeded ({@link #SEED}, or {@code -Dpoolmta.faultMixSeed=N} to try another);
 * each draw depends on the seed and on the message or recipient it concerns, so a failure reproduces.
 */
class SinkFaultMixTest {
    private static final long SEED = Long.getLong("poolmta.faultMixSeed", 20_250_605L);
    private static final int MESSAGES = 300;
    /** The first backoff; backoffs and throttle pauses are multiples of it, so every due time falls on a step. */
    private static final Duration STEP = RetryPolicy.DEFAULT.initial();
    /** The configuration set's MaxDeliverySeconds: attempts at 0, 1, 3 and 7 minutes, expiry at 10. */
    private static final long SET_MAX_DELIVERY_SECONDS = 600;
    /** The server's default for mail without a set (SES: 14 h), shortened: attempts at 0, 1, 3, 7, 15 min, expiry at 20. */
    private static final Duration DEFAULT_MAX_DELIVERY = Duration.ofSeconds(1200);
    /** Quiet this long (no open connection, no new event, no queue change) means the step's work is done. */
    private static final Duration QUIET = Duration.ofMillis(150);

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SET = "faults";

    @TempDir
    Path dir;

    TestServer server;
    SesV2Client ses;
    EventLog events;
    ScriptedSmtpServer comSink;
    ScriptedSmtpServer orgSink;
    SmtpFaultMix comFaults;
    SmtpFaultMix orgFaults;
    final List<ScriptedSmtpServer> sinks = new ArrayList<>();

    /** One message of the test: its unique sender identifies it at the sinks, its recipients are unique too. */
    record Planned(int index, String sender, List<String> recipients, boolean inSet, boolean viaSmtp) {
        Duration maxDelivery() {
            return inSet ? Duration.ofSeconds(SET_MAX_DELIVERY_SECONDS) : DEFAULT_MAX_DELIVERY;
        }
    }

    /** How a recipient must end, from the sinks' last word about it. */
    enum Fate {
        DELIVERED,
        PERMANENT,
        EXPIRED
    }

    @BeforeEach
    void setUp() {
        DeliverySettings d = DeliverySettings.DEFAULT;
        server = TestServer.start(
                dir,
                MutableClock.startingNow(),
                env -> env.withDelivery(new DeliverySettings(
                                d.maxConnectionsPerPath(),
                                d.maxMessagesPerConnection(),
                                d.retry(),
                                DEFAULT_MAX_DELIVERY,
                                d.tick(),
                                d.connectionIdle()))
                        // far above the slowest scripted reply, short enough that a hang shows within the test
                        .withSmtpClient(SmtpClientSettings.defaults()
                                .withConnectTimeout(Duration.ofSeconds(5))
                                .withCommandTimeout(Duration.ofSeconds(5))
                                .withDataEndTimeout(Duration.ofSeconds(5))));
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12", "127.0.0.13");
        ses = server.ses(acme);
        for (String ip : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13")) {
            ses.putDedicatedIpWarmupAttributes(r -> r.ip(ip).warmupPercentage(100)); // no warm-up cap in the way
        }
        ses.createDedicatedIpPool(r -> r.poolName(SET));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName(SET));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.12").destinationPoolName(SET));
        ses.createConfigurationSet(r -> r.configurationSetName(SET)
                .deliveryOptions(o -> o.sendingPoolName(SET).maxDeliverySeconds(SET_MAX_DELIVERY_SECONDS)));
        // example.com pipelines (PoolMTA sends MAIL, RCPT… and DATA at once); example.org does not
        comFaults = faults(true);
        orgFaults = faults(false);
        comSink = sinkFor("example.com", ScriptedSmtpServer.builder().faults(comFaults));
        orgSink = sinkFor(
                "example.org",
                ScriptedSmtpServer.builder()
                        .bindAddress("127.0.0.5")
                        .pipelining(false)
                        .faults(orgFaults));
        events = EventLog.of(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
        sinks.forEach(ScriptedSmtpServer::close);
    }

    /**
     * Per command: the chance of a 4xx, a 5xx, a drop, a slow reply. No 5xx to EHLO: PoolMTA would
     * fall back to HELO and lose PIPELINING, and without pipelining a refused MAIL cannot be traced
     * to its recipients (which is also why the non-pipelining sink never refuses MAIL for good).
     */
    private static SmtpFaultMix faults(boolean pipelining) {
        return SmtpFaultMix.seeded(SEED)
                .at(SmtpStage.GREETING, new Odds(0.01, 0.005, 0.005, 0.03))
                .at(SmtpStage.EHLO, new Odds(0.01, 0, 0.005, 0.03))
                .at(SmtpStage.MAIL, new Odds(0.02, pipelining ? 0.01 : 0, 0.005, 0.03))
                .at(SmtpStage.RCPT, new Odds(0.06, 0.04, 0.005, 0.03))
                .at(SmtpStage.DATA, new Odds(0.02, 0.01, 0.01, 0.02))
                .at(SmtpStage.DATA_END, new Odds(0.03, 0.02, 0.02, 0.03))
                .at(SmtpStage.RSET, new Odds(0, 0, 0.02, 0.02))
                .at(SmtpStage.QUIT, new Odds(0, 0, 0.05, 0.02))
                .slowest(Duration.ofMillis(300))
                .build();
    }

    @Test
    void everyRecipientEndsWithTheOneFinalEventItsRepliesCallFor() throws Exception {
        long started = System.nanoTime();
        List<Planned> plan = plan();
        Instant accepted = server.clock().instant();
        Map<String, String> apiIds = send(plan);

        // every attempt, retry and expiry: the clock moves one backoff step at a time once the step's work is done
        Instant end = accepted.plus(DEFAULT_MAX_DELIVERY).plus(STEP);
        awaitQuiet();
        while (server.clock().instant().isBefore(end)) {
            server.clock().advance(STEP);
            awaitQuiet();
        }
        List<String> recipients =
                plan.stream().flatMap(p -> p.recipients().stream()).toList();
        await().atMost(WAIT).until(() -> finalRecipients(events.all()).containsAll(recipients));
        awaitQuiet();

        List<JsonNode> log = events.all();
        Map<String, List<RecipientVerdict>> verdicts = verdictsByRecipient();
        Map<String, Integer> copies = copiesByRecipient();
        Map<String, Planned> byRecipient = new HashMap<>();
        plan.forEach(p -> p.recipients().forEach(r -> byRecipient.put(r, p)));

        List<String> problems = new ArrayList<>();
        checkSendEvents(plan, apiIds, log, problems);
        Map<Fate, Integer> fates = new TreeMap<>();
        int delayedThenDelivered = 0;
        int duplicates = 0;
        int lostReplies = 0;
        for (String rcpt : recipients) {
            Planned message = byRecipient.get(rcpt);
            List<RecipientVerdict> said = verdicts.getOrDefault(rcpt, List.of());
            List<JsonNode> mine =
                    log.stream().filter(e -> recipientsOf(e).contains(rcpt)).toList();
            Fate fate = checkRecipient(rcpt, message, accepted, said, mine, copies.getOrDefault(rcpt, 0), problems);
            fates.merge(fate, 1, Integer::sum);
            boolean delayed = mine.stream().anyMatch(e -> type(e).equals("DeliveryDelay"));
            delayedThenDelivered += fate == Fate.DELIVERED && delayed ? 1 : 0;
            duplicates += Math.max(0, copies.getOrDefault(rcpt, 0) - 1);
            lostReplies += (int) said.stream()
                    .filter(v -> v.kind() == RecipientVerdict.Kind.REPLY_LOST)
                    .count();
        }
        String summary = summary(plan, recipients, fates, delayedThenDelivered, duplicates, lostReplies, started);
        System.out.println(summary);
        assertThat(problems).as("seed %d: %s", SEED, summary).isEmpty();
        assertThat(duplicates)
                .as("seed %d: duplicates at the sinks, at most one per lost reply to \".\"", SEED)
                .isLessThanOrEqualTo(lostReplies);
        // the mix did exercise what it is meant to (these counts are far from zero for any seed)
        assertThat(fates.getOrDefault(Fate.DELIVERED, 0))
                .as("seed %d: delivered; %s", SEED, summary)
                .isPositive();
        assertThat(fates.getOrDefault(Fate.PERMANENT, 0))
                .as("seed %d: permanent bounces; %s", SEED, summary)
                .isPositive();
        assertThat(delayedThenDelivered)
                .as("seed %d: delivered after a delay; %s", SEED, summary)
                .isPositive();

        // nothing left behind, and the engine's counters agree with the events
        JsonNode status = server.admin().ok("GET", "/delivery", null);
        assertThat(status.path("Queued").asLong())
                .as("seed %d: queued after the storm", SEED)
                .isZero();
        assertThat(status.path("Delivered").asInt()).isEqualTo(fates.getOrDefault(Fate.DELIVERED, 0));
        assertThat(status.path("Bounced").asInt())
                .isEqualTo(fates.getOrDefault(Fate.PERMANENT, 0) + fates.getOrDefault(Fate.EXPIRED, 0));
        assertStillServing();
        server.stop();
        try (FileSpool spool = new FileSpool(dir.resolve("spool"))) {
            assertThat(spool.recover())
                    .as("seed %d: messages still pending in the spool", SEED)
                    .isEmpty();
            assertThat(spool.pendingCount()).isZero();
        }
    }

    /** What one recipient's events must be, given what the sinks told PoolMTA about it; returns its fate. */
    private static Fate checkRecipient(
            String rcpt,
            Planned message,
            Instant accepted,
            List<RecipientVerdict> said,
            List<JsonNode> mine,
            int copies,
            List<String> problems) {
        String where = rcpt + " (message " + message.index() + ", sink said "
                + said.stream()
                        .map(v -> v.stage() + " " + v.kind() + (v.code() > 0 ? " " + v.code() : "") + " in session "
                                + v.sessionId())
                        .toList()
                + ")";
        List<RecipientVerdict> settling =
                said.stream().filter(RecipientVerdict::settles).toList();
        if (settling.size() > 1 || (!settling.isEmpty() && !said.getLast().settles())) {
            problems.add("tried again after a 2xx to \".\" or a 5xx: " + where);
        }
        Fate fate = settling.isEmpty()
                ? Fate.EXPIRED
                : settling.getFirst().kind() == RecipientVerdict.Kind.ACCEPTED ? Fate.DELIVERED : Fate.PERMANENT;
        List<JsonNode> finals = mine.stream()
                .filter(e -> type(e).equals("Delivery") || type(e).equals("Bounce"))
                .toList();
        if (finals.size() != 1) {
            problems.add(finals.size() + " final events instead of 1 for " + where + ": "
                    + finals.stream().map(SinkFaultMixTest::brief).toList());
            return fate;
        }
        JsonNode last = finals.getFirst();
        if (!mine.getLast().equals(last)) {
            problems.add("events after the final one for " + where + ": "
                    + mine.stream().map(SinkFaultMixTest::brief).toList());
        }
        String diagnostic = bouncedRecipient(last, rcpt).path("diagnosticCode").asText();
        switch (fate) {
            case DELIVERED -> {
                if (!type(last).equals("Delivery")) {
                    problems.add("expected a Delivery for " + where + ", got " + brief(last));
                }
            }
            case PERMANENT -> {
                int code = settling.getFirst().code();
                if (!type(last).equals("Bounce")
                        || !last.at("/bounce/bounceType").asText().equals("Permanent")
                        || !diagnostic.startsWith("smtp; " + code)) {
                    problems.add("expected a Permanent bounce with " + code + " for " + where + ", got " + brief(last));
                }
            }
            case EXPIRED -> {
                Instant expiry = accepted.plus(message.maxDelivery());
                if (!type(last).equals("Bounce")
                        || !last.at("/bounce/bounceType").asText().equals("Transient")
                        || !diagnostic.contains("MaxDeliverySeconds")
                        || Instant.parse(last.at("/bounce/timestamp").asText())
                                .isBefore(expiry.truncatedTo(ChronoUnit.MILLIS))) {
                    problems.add("expected a Transient bounce at " + expiry + " for " + where + ", got " + brief(last));
                }
            }
        }
        long transientWords = said.stream().filter(v -> !v.settles()).count();
        long delays = mine.stream().filter(e -> type(e).equals("DeliveryDelay")).count();
        if (delays < transientWords) {
            problems.add(delays + " DeliveryDelay events for " + transientWords + " 4xx or drops: " + where);
        }
        long received = said.stream().filter(RecipientVerdict::received).count();
        if (copies != received) {
            problems.add("the sinks hold " + copies + " copies, their verdicts say " + received + ": " + where);
        }
        if (type(last).equals("Delivery") && copies == 0) {
            problems.add("Delivery event but no sink has it: " + where);
        }
        if (mine.stream().anyMatch(e -> !e.at("/mail/source").asText().equals(message.sender()))) {
            problems.add("an event of another message names " + where);
        }
        return fate;
    }

    /** Exactly one Send event per message, naming its recipients; the API's message ids are the events'. */
    private static void checkSendEvents(
            List<Planned> plan, Map<String, String> apiIds, List<JsonNode> log, List<String> problems) {
        Map<String, List<JsonNode>> sends = log.stream()
                .filter(e -> type(e).equals("Send"))
                .collect(Collectors.groupingBy(e -> e.at("/mail/source").asText()));
        for (Planned p : plan) {
            List<JsonNode> mine = sends.getOrDefault(p.sender(), List.of());
            if (mine.size() != 1 || !Set.copyOf(recipientsOf(mine.getFirst())).equals(Set.copyOf(p.recipients()))) {
                problems.add("message " + p.index() + " has Send events " + mine);
            } else if (!p.viaSmtp()
                    && !mine.getFirst().at("/mail/messageId").asText().equals(apiIds.get(p.sender()))) {
                problems.add("message " + p.index() + ": SendEmail said " + apiIds.get(p.sender()) + ", events say "
                        + mine.getFirst().at("/mail/messageId").asText());
            }
        }
    }

    /** After the storm: an hour on (every throttle pause over), the API answers and a new message is delivered. */
    private void assertStillServing() {
        ScriptedSmtpServer calm =
                sinkFor("calm.test", ScriptedSmtpServer.builder().bindAddress("127.0.0.6"));
        server.clock().advance(Duration.ofHours(1));
        assertThat(ses.getAccount(r -> {}).sendQuota().max24HourSend()).isPositive();
        String id = ses.sendEmail(r -> r.fromEmailAddress("after@acme.test")
                        .destination(d -> d.toAddresses("ok@calm.test"))
                        .configurationSetName(SET)
                        .content(c -> c.simple(
                                s -> s.subject(x -> x.data("after")).body(b -> b.text(t -> t.data("still here"))))))
                .messageId();
        assertThat(events.await(id, "Delivery", WAIT)
                        .at("/delivery/recipients/0")
                        .asText())
                .isEqualTo("ok@calm.test");
        assertThat(calm.messages()).hasSize(1);
    }

    /** The messages: mostly one recipient, some two to four, a third of the recipients at example.org. */
    private static List<Planned> plan() {
        Random random = new Random(SEED);
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            double shape = random.nextDouble();
            int count = shape < 0.6 ? 1 : shape < 0.85 ? 2 : 3 + random.nextInt(2);
            List<String> recipients = new ArrayList<>();
            for (int k = 0; k < count; k++) {
                recipients.add("m" + i + "r" + k + "@" + (random.nextInt(3) == 0 ? "example.org" : "example.com"));
            }
            plan.add(new Planned(i, "sender" + i + "@acme.test", recipients, random.nextBoolean(), i % 5 == 4));
        }
        return plan;
    }

    /** Sends every message: most through SendEmail, every fifth through SMTP submission. Returns SendEmail's ids by sender. */
    private Map<String, String> send(List<Planned> plan) throws MessagingException {
        Map<String, String> ids = new LinkedHashMap<>();
        JsonNode creds = server.admin().ok("POST", "/accounts/acme/smtp-credentials", "{}");
        Session session = Session.getInstance(SmtpSubmit.properties("127.0.0.1", server.smtpPort()));
        try (Transport smtp = session.getTransport("smtp")) {
            smtp.connect(creds.get("Username").asText(), creds.get("Password").asText());
            for (Planned p : plan) {
                if (p.viaSmtp()) {
                    MimeMessage m = new MimeMessage(session);
                    m.setFrom(new InternetAddress(p.sender()));
                    m.setRecipients(Message.RecipientType.TO, String.join(",", p.recipients()));
                    m.setSubject("fault mix " + p.index());
                    m.setText("message " + p.index());
                    if (p.inSet()) {
                        m.setHeader("X-SES-CONFIGURATION-SET", SET);
                    }
                    smtp.sendMessage(m, m.getAllRecipients());
                } else {
                    ids.put(
                            p.sender(),
                            ses.sendEmail(r -> {
                                        r.fromEmailAddress(p.sender())
                                                .destination(d -> d.toAddresses(p.recipients()))
                                                .content(c -> c.simple(s -> s.subject(
                                                                x -> x.data("fault mix " + p.index()))
                                                        .body(b -> b.text(t -> t.data("message " + p.index())))));
                                        if (p.inSet()) {
                                            r.configurationSetName(SET);
                                        }
                                    })
                                    .messageId());
                }
            }
        }
        return ids;
    }

    /** Waits until no sink connection is open and nothing (events, queue, connections) has changed for {@link #QUIET}. */
    private void awaitQuiet() {
        AtomicReference<Activity> last = new AtomicReference<>();
        AtomicLong since = new AtomicLong();
        await().atMost(WAIT)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    Activity now = activity();
                    long t = System.nanoTime();
                    if (!now.equals(last.get())) {
                        last.set(now);
                        since.set(t);
                        return false;
                    }
                    return !now.open() && t - since.get() >= QUIET.toNanos();
                });
    }

    private record Activity(long eventBytes, int queued, int sessions, boolean open) {}

    private Activity activity() throws Exception {
        Path log = dir.resolve("events").resolve("events.jsonl");
        List<SmtpSessionRecord> sessions =
                Stream.of(comSink, orgSink).flatMap(s -> s.sessions().stream()).toList();
        return new Activity(
                Files.exists(log) ? Files.size(log) : 0,
                server.server().delivery().queued(),
                sessions.size(),
                sessions.stream().anyMatch(SmtpSessionRecord::open));
    }

    private Map<String, List<RecipientVerdict>> verdictsByRecipient() {
        // the two sinks number their verdicts separately; a recipient only ever goes to one of them
        return Stream.of(comSink, orgSink)
                .flatMap(s -> s.verdicts().stream())
                .sorted(Comparator.comparingLong(RecipientVerdict::sequence))
                .collect(Collectors.groupingBy(v -> v.recipient().toLowerCase(Locale.ROOT)));
    }

    private Map<String, Integer> copiesByRecipient() {
        Map<String, Integer> copies = new HashMap<>();
        Stream.of(comSink, orgSink)
                .flatMap(s -> s.messages().stream())
                .map(ReceivedMessage::recipients)
                .forEach(rcpts -> rcpts.forEach(r -> copies.merge(r.toLowerCase(Locale.ROOT), 1, Integer::sum)));
        return copies;
    }

    private static Set<String> finalRecipients(List<JsonNode> log) {
        return log.stream()
                .filter(e -> type(e).equals("Delivery") || type(e).equals("Bounce"))
                .flatMap(e -> recipientsOf(e).stream())
                .collect(Collectors.toSet());
    }

    /** The recipients an event is about (for Send: all of the message's). */
    private static List<String> recipientsOf(JsonNode event) {
        JsonNode list = switch (type(event)) {
            case "Delivery" -> event.at("/delivery/recipients");
            case "Bounce" -> event.at("/bounce/bouncedRecipients");
            case "DeliveryDelay" -> event.at("/deliveryDelay/delayedRecipients");
            default -> event.at("/mail/destination");
        };
        return StreamSupport.stream(list.spliterator(), false)
                .map(n -> n.isTextual() ? n.asText() : n.path("emailAddress").asText())
                .toList();
    }

    private static JsonNode bouncedRecipient(JsonNode event, String rcpt) {
        for (JsonNode r : event.at("/bounce/bouncedRecipients")) {
            if (r.path("emailAddress").asText().equals(rcpt)) {
                return r;
            }
        }
        return MissingNode.getInstance();
    }

    /** "Bounce Permanent 19:09:14.663Z smtp; 550 …": what a problem report needs of an event. */
    private static String brief(JsonNode e) {
        return switch (type(e)) {
            case "Delivery" ->
                "Delivery " + e.at("/delivery/timestamp").asText() + " "
                        + e.at("/delivery/smtpResponse").asText();
            case "Bounce" ->
                "Bounce " + e.at("/bounce/bounceType").asText() + " "
                        + e.at("/bounce/timestamp").asText() + " "
                        + e.at("/bounce/bouncedRecipients/0/diagnosticCode").asText();
            case "DeliveryDelay" ->
                "DeliveryDelay " + e.at("/deliveryDelay/timestamp").asText() + " "
                        + e.at("/deliveryDelay/delayedRecipients/0/diagnosticCode")
                                .asText();
            default -> type(e);
        };
    }

    private static String type(JsonNode event) {
        return event.path("eventType").asText();
    }

    private String summary(
            List<Planned> plan,
            List<String> recipients,
            Map<Fate, Integer> fates,
            int delayedThenDelivered,
            int duplicates,
            int lostReplies,
            long started) {
        Map<String, Long> verdictKinds = Stream.of(comSink, orgSink)
                .flatMap(s -> s.verdicts().stream())
                .collect(Collectors.groupingBy(v -> v.stage() + "/" + v.kind(), TreeMap::new, Collectors.counting()));
        return String.format(
                "fault mix seed %d: %d messages (%d via SMTP), %d recipients; fates %s, %d delivered after"
                        + " a delay; %d sink connections; faults drawn at example.com %s, at example.org %s; verdicts %s;"
                        + " %d lost replies to \".\", %d duplicates; %.1f s",
                SEED,
                plan.size(),
                plan.stream().filter(Planned::viaSmtp).count(),
                recipients.size(),
                fates,
                delayedThenDelivered,
                comSink.sessions().size() + orgSink.sessions().size(),
                comFaults.tally(),
                orgFaults.tally(),
                verdictKinds,
                lostReplies,
                duplicates,
                (System.nanoTime() - started) / 1e9);
    }

    private ScriptedSmtpServer sinkFor(String domain, ScriptedSmtpServer.Builder builder) {
        ScriptedSmtpServer sink = builder.start();
        sinks.add(sink);
        server.route(domain, sink.nextHop().toString());
        return sink;
    }
}
