package io.poolmta.spool;

import static io.poolmta.spool.SpoolMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file spool: what a restart gives back, what it deletes, and how it fails. */
class FileSpoolTest {
    /** Room for two 1,500-byte messages, or one 3,000-byte message, per segment. */
    private static final SpoolSettings SMALL_SEGMENTS = SpoolSettings.defaults().withSegmentBytes(4096);

    @TempDir
    Path dir;

    @Test
    void aStoredMessageComesBackByteExactWithEveryEnvelopeField() {
        Envelope full = new Envelope(
                "m-1",
                "acct-1",
                Optional.of("newsletters"),
                "marketing",
                "bounce@mail.example.com",
                List.of("a@example.com", "b@example.org"),
                Instant.parse("2026-03-01T08:00:00.123456789Z"),
                Instant.parse("2026-03-01T22:00:00Z"),
                TlsPolicy.REQUIRE,
                Map.of("campaign", List.of("spring", "2026"), "empty", List.of(), "caf\u00e9", List.of("\u2603")));
        Envelope bare = new Envelope(
                "m-2",
                "acct-2",
                Optional.empty(),
                "ses-shared-pool",
                "",
                List.of("c@example.net"),
                Instant.EPOCH,
                Instant.EPOCH.plusNanos(1),
                TlsPolicy.OPTIONAL,
                Map.of());
        byte[] allBytes = new byte[70_000];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).isEmpty();
            spool.store(new SpooledMessage(full, allBytes));
            spool.store(new SpooledMessage(bare, "Subject: x\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(spool.pendingCount()).isEqualTo(2);
        }

        try (FileSpool spool = new FileSpool(dir)) {
            List<StoredMessage> recovered = spool.recover();
            assertThat(recovered).extracting(StoredMessage::envelope).containsExactly(full, bare);
            assertThat(spool.content(recovered.get(0))).isEqualTo(allBytes);
            assertThat(spool.content(recovered.get(1)))
                    .asString(StandardCharsets.US_ASCII)
                    .isEqualTo("Subject: x\r\n\r\nhi\r\n");
            assertThat(spool.pendingCount()).isEqualTo(2);
            assertThat(spool.recoveryReport()).isEqualTo(new RecoveryReport(1, 2, List.of()));
        }
    }

    /**
     * A store that would leave less than the reserve free on the spool's disk is refused before
     * anything is written, and stores go through again with a reserve the disk has room for.
     */
    @Test
    void aStoreThatWouldEatIntoTheReserveIsRefusedBeforeAnythingIsWritten() throws IOException {
        long free = Files.getFileStore(dir).getUsableSpace();
        SpoolSettings greedy = SpoolSettings.defaults().withMinFreeBytes(free + (1L << 30)); // more than there is
        try (FileSpool spool = new FileSpool(dir, greedy)) {
            spool.recover();
            assertThatThrownBy(() -> spool.store(message("m-1", "x@example.com")))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("not stored")
                    .hasMessageContaining("kept in reserve");
            assertThat(spool.pendingCount()).isZero();
            assertThat(segmentFiles()).as("no segment was even created").isEmpty();
        }
        try (FileSpool spool = new FileSpool(dir, SpoolSettings.defaults().withMinFreeBytes(1 << 20))) {
            assertThat(spool.recover())
                    .as("nothing of the refused store came back")
                    .isEmpty();
            spool.store(message("m-1", "x@example.com")); // the same id: the refusal released it
            assertThat(spool.pendingCount()).isEqualTo(1);
        }
    }

    /**
     * A disk of 1 MiB of which the reserve keeps 512 KiB: the spool fills the rest and refuses.
     * Once every message is delivered the space must come back, although the segment holding them
     * was the one being written to (it used to stay forever: only a store rolls a segment, and every
     * store was refused).
     */
    @Test
    void theSpaceOfDeliveredMessagesComesBackWhileStoresAreRefused() throws IOException {
        long disk = 1 << 20;
        AtomicLong nanos = new AtomicLong();
        FreeSpace simulated = new FreeSpace(
                () -> disk - spoolBytes(), () -> nanos.addAndGet(FreeSpace.MAX_AGE_NANOS)); // never cached
        SpoolSettings settings = SpoolSettings.defaults().withMinFreeBytes(512 << 10);
        try (FileSpool spool = new FileSpool(dir, settings, FileChannelFactory.DEFAULT, simulated)) {
            spool.recover();
            List<String> stored = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                try {
                    spool.store(message("m-" + i, 64 << 10, "x@example.com"));
                    stored.add("m-" + i);
                } catch (SpoolException refused) {
                    break;
                }
            }
            assertThat(stored).hasSizeBetween(5, 9); // 64 KiB each into 512 KiB
            assertThatThrownBy(() -> spool.store(message("late", 64 << 10, "x@example.com")))
                    .hasMessageContaining("kept in reserve");

            stored.forEach(id -> spool.recipientDone(id, "x@example.com"));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatCode(() -> spool.store(message("late", 64 << 10, "x@example.com")))
                            .as("room again once the delivered messages' segment is gone")
                            .doesNotThrowAnyException());
        }
    }

    /**
     * The same, when every outcome was written to the current segment before the first refusal:
     * the roll that the refusal asks for must let that segment go, though no write opens the next.
     */
    @Test
    void theSpaceComesBackWhenTheOutcomesCameBeforeTheRefusal() throws InterruptedException {
        AtomicLong disk = new AtomicLong(1 << 20);
        AtomicLong nanos = new AtomicLong();
        FreeSpace simulated = new FreeSpace(
                () -> disk.get() - spoolBytes(), () -> nanos.addAndGet(FreeSpace.MAX_AGE_NANOS)); // never cached
        SpoolSettings settings = SpoolSettings.defaults().withMinFreeBytes(512 << 10);
        try (FileSpool spool = new FileSpool(dir, settings, FileChannelFactory.DEFAULT, simulated)) {
            spool.recover();
            for (int i = 0; i < 4; i++) {
                spool.store(message("m-" + i, 64 << 10, "x@example.com"));
                spool.recipientDone("m-" + i, "x@example.com");
            }
            Thread.sleep(CommitLoop.OUTCOME_DELAY.multipliedBy(3)); // the outcomes are in the current segment
            disk.set(spoolBytes() + (512 << 10) + (32 << 10)); // no room for 64 KiB above the reserve
            assertThatThrownBy(() -> spool.store(message("late", 64 << 10, "x@example.com")))
                    .hasMessageContaining("kept in reserve");

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThatCode(() -> spool.store(message("late", 64 << 10, "x@example.com")))
                            .as("room again once the finished segment is gone")
                            .doesNotThrowAnyException());
        }
    }

    private long spoolBytes() {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0; // deleted meanwhile
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Path> segmentFiles() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                    .toList();
        }
    }

    @Test
    void recoveryReturnsOnlyTheRecipientsWithoutAnOutcome() {
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            spool.store(message("m-1", "x@example.com", "y@example.com", "z@example.com"));
            spool.store(message("m-2", "solo@example.com"));
            spool.recipientDone("m-1", "y@example.com");
            spool.recipientDone("m-2", "solo@example.com");
            spool.recipientDone("m-1", "nobody@example.com"); // not a recipient: ignored
            spool.recipientDone("unknown", "x@example.com"); // not a message: ignored
            assertThat(spool.pendingCount()).isEqualTo(1);
        }

        try (FileSpool spool = new FileSpool(dir)) {
            List<StoredMessage> recovered = spool.recover();
            assertThat(recovered).singleElement().satisfies(m -> {
                assertThat(m.messageId()).isEqualTo("m-1");
                assertThat(m.envelope().recipients()).containsExactly("x@example.com", "z@example.com");
                assertThat(m.envelope())
                        .isEqualTo(
                                message("m-1", "x@example.com", "z@example.com").envelope());
                assertThat(spool.content(m)).isEqualTo(message("m-1").content());
            });
            spool.recipientDone("m-1", "x@example.com");
            spool.recipientDone("m-1", "z@example.com");
            assertThat(spool.pendingCount()).isZero();
        }

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).isEmpty();
        }
    }

    @Test
    void aFinishedMessageIsNotRecoveredAndItsSegmentIsDeletedOnceRolled() throws IOException {
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            spool.store(message("a", 3000, "a1@example.com", "a2@example.com"));
            spool.recipientDone("a", "a1@example.com");
            spool.recipientDone("a", "a2@example.com");
            assertThat(segments()).containsExactly("segment-00000001.log");

            spool.store(message("b", 3000, "b1@example.com")); // does not fit: rolls to segment 2
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(segments()).containsExactly("segment-00000002.log"));
        }

        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("b");
        }
    }

    @Test
    void outcomesInALaterSegmentOutliveTheSegmentOfTheirMessage() throws IOException {
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            spool.store(message("a", 1500, "a1@example.com", "a2@example.com")); // segment 1
            spool.store(message("c", 1500, "c1@example.com")); // segment 1, stays pending
            spool.store(message("b", 1500, "b1@example.com")); // segment 2
            spool.recipientDone("a", "a1@example.com"); // outcomes of a (segment 1) land in segment 2
            spool.recipientDone("a", "a2@example.com");
            spool.recipientDone("b", "b1@example.com");
            spool.store(message("d", 3000, "d1@example.com")); // segment 3
        }
        // segment 2 has no pending message, but deleting it would bring "a" back from segment 1
        assertThat(segments()).containsExactly("segment-00000001.log", "segment-00000002.log", "segment-00000003.log");

        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("c", "d");
            assertThat(segments()).hasSize(3);
            spool.recipientDone("c", "c1@example.com"); // goes to the fresh segment 4
        }
        // segment 1 is finished, and with it gone segment 2's outcomes are no longer needed
        assertThat(segments()).containsExactly("segment-00000003.log", "segment-00000004.log");

        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("d");
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(segments()).containsExactly("segment-00000003.log"));
        }
    }

    @Test
    void aTornTailIsReportedAndEverythingBeforeItRecovers() throws IOException {
        storeAndClose("m-1", "m-2", "m-3");
        Path segment = dir.resolve("segment-00000001.log");
        long thirdRecord = recordOffsets(segment).get(2);
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - 5);
        }
        long tornSize = Files.size(segment);

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1", "m-2");
            assertThat(spool.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.segment()).isEqualTo(segment);
                assertThat(p.offset()).isEqualTo(thirdRecord);
                assertThat(p.reason()).startsWith("torn record");
            });
            spool.store(message("m-4", "r@example.com"));
        }
        assertThat(Files.size(segment)).as("never appended behind a torn tail").isEqualTo(tornSize);

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1", "m-2", "m-4");
            assertThat(spool.recoveryReport().problems())
                    .extracting(RecoveryReport.Problem::segment)
                    .containsExactly(segment);
        }
    }

    @Test
    void garbageAfterTheLastRecordIsReportedAndIgnored() throws IOException {
        storeAndClose("m-1", "m-2", "m-3");
        Path segment = dir.resolve("segment-00000001.log");
        long end = Files.size(segment);
        Files.write(
                segment,
                "\0\0garbage from a torn write".getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.APPEND);

        try (FileSpool spool = new FileSpool(dir)) {
            assertThatCode(spool::recover).doesNotThrowAnyException();
        }
        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1", "m-2", "m-3");
            assertThat(spool.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.segment()).isEqualTo(segment);
                assertThat(p.offset()).isEqualTo(end);
            });
        }
    }

    @Test
    void zerosAfterTheLastRecordAreTheCleanEndOfTheLog() throws IOException {
        storeAndClose("m-1");
        Path segment = dir.resolve("segment-00000001.log");
        Files.write(segment, new byte[4096], StandardOpenOption.APPEND); // allocated, never written

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1");
            assertThat(spool.recoveryReport().problems()).isEmpty();
            spool.recipientDone("m-1", "r@example.com");
            spool.store(message("m-2", "r@example.com"));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(segment).doesNotExist());
        }
        assertThat(dir.resolve("corrupt")).doesNotExist();
    }

    @Test
    void aRecordCutShortBeforeTheZerosAheadIsATornTail() throws IOException {
        storeAndClose("m-1", "m-2");
        Path segment = dir.resolve("segment-00000001.log");
        long second = recordOffsets(segment).get(1);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(
                    ByteBuffer.allocate(4096), second + RecordCodec.RECORD_HEADER_BYTES + 10); // its end never written
        }

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1");
            assertThat(spool.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.offset()).isEqualTo(second);
                assertThat(p.reason()).contains("checksum mismatch", "only zeros follow");
            });
        }
        assertThat(dir.resolve("corrupt")).doesNotExist();
    }

    @Test
    void theSegmentBeingWrittenHasZerosAheadOfItsRecordsThatACrashLeavesHarmlessAndACloseCutsOff() throws IOException {
        Path crashed = Files.createDirectory(dir.resolve("crashed"));
        Path live = Files.createDirectory(dir.resolve("live"));
        Path segment = live.resolve("segment-00000001.log");
        try (FileSpool spool = new FileSpool(live)) {
            spool.recover();
            for (int i = 1; i <= 20; i++) {
                spool.store(message("m-" + i, "r@example.com"));
            }
            // every store returned, so its batch was fsynced; the zeros ahead follow the acknowledgements
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Files.size(segment) >= SpoolSettings.DEFAULT_PREPARE_AHEAD_BYTES / 2);
            Files.copy(segment, crashed.resolve(segment.getFileName())); // the file as a kill -9 now would leave it
        }
        long records = Files.size(segment);
        assertThat(recordOffsets(segment)).hasSize(20);
        assertThat(records)
                .as("closed: cut back to its records")
                .isLessThan(SpoolSettings.DEFAULT_PREPARE_AHEAD_BYTES / 2);
        byte[] copy = Files.readAllBytes(crashed.resolve(segment.getFileName()));
        assertThat(copy.length).isGreaterThan((int) records);
        assertThat(Arrays.copyOf(copy, (int) records)).isEqualTo(Files.readAllBytes(segment));
        assertThat(Arrays.copyOfRange(copy, (int) records, copy.length)).containsOnly(0);

        try (FileSpool spool = new FileSpool(crashed)) {
            assertThat(spool.recover()).hasSize(20);
            assertThat(spool.recoveryReport().problems()).isEmpty();
        }
    }

    @Test
    void largeStoresGrowTheSegmentInsteadOfWritingZerosAhead() throws IOException {
        Path segment = dir.resolve("segment-00000001.log");
        long records = RecordCodec.FILE_HEADER_BYTES;
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            for (int i = 1; i <= 30; i++) { // 100 KB an fsync: the average passes 64 KB after about eight
                SpooledMessage m = message("m-" + i, 100 * 1024, "r@example.com");
                spool.store(m);
                records += RecordCodec.message(m).length;
            }
            // the zeros written while the average was low are used up; none were written since
            assertThat(Files.size(segment)).isEqualTo(records);
        }
        assertThat(recordOffsets(segment)).hasSize(30);
    }

    @Test
    void withoutZerosAheadTheSegmentHoldsOnlyItsRecords() throws IOException {
        Path segment = dir.resolve("segment-00000001.log");
        long open;
        try (FileSpool spool = new FileSpool(dir, SpoolSettings.defaults().withPrepareAheadBytes(0))) {
            spool.recover();
            for (int i = 1; i <= 5; i++) {
                spool.store(message("m-" + i, "r@example.com"));
            }
            open = Files.size(segment);
        }
        assertThat(Files.size(segment)).isEqualTo(open);
        assertThat(recordOffsets(segment)).hasSize(5);
    }

    @Test
    void aCorruptRecordStopsItsSegmentButNotTheNextOnesAndTheSegmentIsSetAside() throws IOException {
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            spool.store(message("a", 1500, "r@example.com")); // segment 1
            spool.store(message("b", 1500, "r@example.com")); // segment 1
            spool.store(message("c", 1500, "r@example.com")); // segment 2
        }
        Path first = dir.resolve("segment-00000001.log");
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            file.seek(1000); // inside the payload of "a"
            int b = file.read();
            file.seek(1000);
            file.write(b ^ 0x40);
        }

        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("c");
            assertThat(spool.recoveryReport().problems())
                    .containsExactly(
                            new RecoveryReport.Problem(first, RecordCodec.FILE_HEADER_BYTES, "checksum mismatch"));
            // nothing of segment 1 is pending any more: it leaves the spool, kept apart for the operator
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(first).doesNotExist();
                assertThat(dir.resolve("corrupt").resolve("segment-00000001.log"))
                        .exists();
            });
        }
    }

    /**
     * The spool writes a MESSAGE record's head and the message's own content array with one
     * gathering write: the file must hold exactly the record the single-array encoding gives (the
     * format older segments were written in), so old and new segments recover alike.
     */
    @Test
    void aRecordWrittenInPartsIsTheSingleArrayRecordByteForByte() throws IOException {
        SpooledMessage first = message("m-1", "r@example.com");
        SpooledMessage second =
                new SpooledMessage(message("m-2", "s@example.com").envelope(), SpoolMessages.content("m-2", 50 * 1024));
        try (FileSpool spool = new FileSpool(dir, SpoolSettings.defaults().withPrepareAheadBytes(0))) {
            spool.recover();
            spool.store(first);
            spool.store(second);
        }
        byte[] expected = ByteBuffer.allocate(RecordCodec.FILE_HEADER_BYTES
                        + RecordCodec.message(first).length
                        + RecordCodec.message(second).length)
                .put(RecordCodec.fileHeader())
                .put(RecordCodec.message(first))
                .put(RecordCodec.message(second))
                .array();
        assertThat(Files.readAllBytes(dir.resolve("segment-00000001.log"))).isEqualTo(expected);
        try (FileSpool spool = new FileSpool(dir)) {
            List<StoredMessage> recovered = spool.recover();
            assertThat(recovered).extracting(StoredMessage::messageId).containsExactly("m-1", "m-2");
            assertThat(spool.content(recovered.get(1))).isEqualTo(second.content());
        }
    }

    @Test
    void aRecordWithAGoodChecksumThatDoesNotParseIsSkippedAndReadingGoesOn() throws IOException {
        storeAndClose("m-1");
        Path segment = dir.resolve("segment-00000001.log");
        long badOffset = Files.size(segment);
        byte[] payload = "not an envelope".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer frame = ByteBuffer.allocate(RecordCodec.RECORD_HEADER_BYTES + payload.length)
                .putInt(RecordCodec.RECORD_MAGIC)
                .put(RecordCodec.Type.MESSAGE.code)
                .putInt(payload.length)
                .putInt(0)
                .put(payload);
        frame.putInt(9, RecordCodec.checksum(frame.array(), payload, 0, payload.length));
        Files.write(segment, frame.array(), StandardOpenOption.APPEND);
        Files.write(segment, RecordCodec.message(message("m-2", "r@example.com")), StandardOpenOption.APPEND);

        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).extracting(StoredMessage::messageId).containsExactly("m-1", "m-2");
            assertThat(spool.recoveryReport().problems()).singleElement().satisfies(p -> {
                assertThat(p.segment()).isEqualTo(segment);
                assertThat(p.offset()).isEqualTo(badOffset);
                assertThat(p.reason()).startsWith("MESSAGE record skipped");
            });
        }
    }

    @Test
    void aForeignFileIsReportedAndLeftInPlace() throws IOException {
        Path foreign = dir.resolve("segment-00000007.log");
        Files.write(foreign, "this is not a spool segment".getBytes(StandardCharsets.US_ASCII));
        try (FileSpool spool = new FileSpool(dir)) {
            assertThat(spool.recover()).isEmpty();
            assertThat(spool.recoveryReport().problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.segment()).isEqualTo(foreign));
            spool.store(message("m-1", "r@example.com"));
        }
        assertThat(foreign).exists();
        assertThat(segments()).containsExactly("segment-00000007.log", "segment-00000008.log");
    }

    @Test
    void concurrentStoresShareFsyncs() throws Exception {
        int threads = 50;
        int perThread = 100;
        long syncs;
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    executor.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            spool.store(message("t" + thread + "-" + i, 1000, "r@example.com"));
                        }
                        return null;
                    });
                }
            }
            syncs = spool.syncCount();
            assertThat(spool.pendingCount()).isEqualTo(threads * perThread);
        }
        System.out.printf(
                "concurrentStoresShareFsyncs: %d messages, %d fsyncs (%.1f messages per fsync)%n",
                threads * perThread, syncs, (double) threads * perThread / syncs);
        assertThat(syncs).isLessThan(threads * perThread / 10);

        try (FileSpool spool = new FileSpool(dir)) {
            List<String> ids =
                    spool.recover().stream().map(StoredMessage::messageId).toList();
            assertThat(ids)
                    .hasSize(threads * perThread)
                    .doesNotHaveDuplicates()
                    .containsAll(IntStream.range(0, threads)
                            .boxed()
                            .flatMap(t -> IntStream.range(0, perThread).mapToObj(i -> "t" + t + "-" + i))
                            .toList());
        }
    }

    @Test
    void contentIsReadBackFromDiskWhileRunningAndAfterARestart() {
        StoredMessage first;
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            first = spool.store(message("a", 1500, "r@example.com"));
            StoredMessage second = spool.store(message("b", 3000, "r@example.com")); // rolls to segment 2
            assertThat(first.ref().segment()).isEqualTo(1);
            assertThat(second.ref().segment()).isEqualTo(2);
            assertThat(first.ref().contentBytes()).isEqualTo(1500);
            assertThat(spool.content(first)).isEqualTo(SpoolMessages.content("a", 1500));
            assertThat(spool.content(second)).isEqualTo(SpoolMessages.content("b", 3000));
        }
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            List<StoredMessage> recovered = spool.recover();
            assertThat(recovered).extracting(StoredMessage::ref).first().isEqualTo(first.ref());
            assertThat(spool.content(recovered.get(0))).isEqualTo(SpoolMessages.content("a", 1500));
            assertThat(spool.content(recovered.get(1))).isEqualTo(SpoolMessages.content("b", 3000));
        }
    }

    @Test
    void aRecordDamagedAfterItWasStoredIsNotReadBack() throws IOException {
        StoredMessage stored;
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            stored = spool.store(message("m-1", 2000, "r@example.com"));
            Path segment = dir.resolve("segment-00000001.log");
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.write(
                        ByteBuffer.wrap(new byte[] {(byte) 0xFF}),
                        stored.ref().offset() + stored.ref().frameBytes() - 10);
            }
            assertThatThrownBy(() -> spool.content(stored))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("m-1")
                    .hasMessageContaining("checksum");
        }
    }

    @Test
    void aFinishedMessageWhoseSegmentIsDeletedCannotBeRead() {
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            StoredMessage a = spool.store(message("a", 3000, "r@example.com"));
            assertThat(spool.content(a)).hasSize(3000); // opens a reader on segment 1
            spool.recipientDone("a", "r@example.com");
            spool.store(message("b", 3000, "r@example.com")); // segment 2: segment 1 becomes deletable
            await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(dir.resolve("segment-00000001.log")));
            assertThatThrownBy(() -> spool.content(a))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("a");
        }
    }

    @Test
    void anOutcomeWakesAWriterThatHasGoneToSleep() throws InterruptedException {
        try (FileSpool spool = new FileSpool(dir, SMALL_SEGMENTS)) {
            spool.recover();
            spool.store(message("a", 3000, "r@example.com")); // segment 1
            spool.store(message("b", 3000, "r@example.com")); // segment 2
            Thread.sleep(CommitLoop.OUTCOME_DELAY.multipliedBy(3)); // nothing submitted: the writer sleeps
            spool.recipientDone("a", "r@example.com"); // and no store comes after it
            await().atMost(Duration.ofSeconds(5))
                    .alias("the outcome is written and segment 1 collected without another store")
                    .until(() -> !Files.exists(dir.resolve("segment-00000001.log")));
        }
    }

    @Test
    void storeAfterCloseIsRefused() {
        FileSpool spool = new FileSpool(dir);
        spool.recover();
        spool.store(message("m-1", "r@example.com"));
        spool.close();
        spool.close(); // idempotent

        assertThatThrownBy(() -> spool.store(message("m-2", "r@example.com")))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("closed");
        assertThatCode(() -> spool.recipientDone("m-1", "r@example.com")).doesNotThrowAnyException();
        try (FileSpool reopened = new FileSpool(dir)) {
            assertThat(reopened.recover()).extracting(StoredMessage::messageId).containsExactly("m-1");
        }
    }

    @Test
    void storeBeforeRecoverIsAProgrammingError() {
        try (FileSpool spool = new FileSpool(dir)) {
            assertThatThrownBy(() -> spool.store(message("m-1", "r@example.com")))
                    .isInstanceOf(IllegalStateException.class);
            spool.recover();
            assertThatThrownBy(spool::recover).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aPendingMessageIdCannotBeStoredTwice() {
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            spool.store(message("m-1", "r@example.com"));
            assertThatThrownBy(() -> spool.store(message("m-1", "r@example.com")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> spool.store(message("m-2"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aSecondSpoolOnTheSameDirectoryIsRefused() {
        try (FileSpool first = new FileSpool(dir);
                FileSpool second = new FileSpool(dir)) {
            first.recover();
            assertThatThrownBy(second::recover).isInstanceOf(SpoolException.class);
            first.close();
            assertThatCode(second::recover).doesNotThrowAnyException();
        }
    }

    @Test
    void aFailedWriteOrFsyncRefusesTheStoreAndTheSpoolRecoversOnceTheDiskDoes() {
        FaultyChannels disk = new FaultyChannels();
        try (FileSpool spool = new FileSpool(dir, SpoolSettings.defaults(), disk)) {
            spool.recover();
            spool.store(message("ok-1", "r1@example.com", "r2@example.com"));

            disk.failWrites = true; // disk full
            assertThatThrownBy(() -> spool.store(message("bad-1", "r@example.com")))
                    .isInstanceOf(SpoolException.class)
                    .hasMessageContaining("No space left");
            spool.recipientDone("ok-1", "r1@example.com"); // cannot be written now: kept and retried
            assertThatThrownBy(() -> spool.store(message("bad-2", "r@example.com")))
                    .isInstanceOf(SpoolException.class);

            disk.heal();
            spool.store(message("ok-2", "r@example.com"));
            spool.store(message("bad-1", "r@example.com")); // a refused id is free again

            disk.failForce = true; // the write lands, the fsync fails
            assertThatThrownBy(() -> spool.store(message("bad-3", "r@example.com")))
                    .isInstanceOf(SpoolException.class);

            disk.heal();
            spool.store(message("ok-3", "r@example.com"));
            assertThat(spool.pendingCount()).isEqualTo(4);
        }

        try (FileSpool spool = new FileSpool(dir)) {
            List<StoredMessage> recovered = spool.recover();
            assertThat(recovered).extracting(StoredMessage::messageId).containsExactly("ok-1", "ok-2", "bad-1", "ok-3");
            assertThat(recovered.getFirst().envelope().recipients()).containsExactly("r2@example.com");
            assertThat(spool.recoveryReport().problems()).isEmpty();
        }
    }

    private void storeAndClose(String... ids) {
        try (FileSpool spool = new FileSpool(dir)) {
            spool.recover();
            for (String id : ids) {
                spool.store(message(id, "r@example.com"));
            }
        }
    }

    private List<String> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("segment-"))
                    .sorted()
                    .toList();
        }
    }

    /** Offsets of the records in a segment, by walking their length fields. */
    private static List<Long> recordOffsets(Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<Long> offsets = new ArrayList<>();
        for (int offset = RecordCodec.FILE_HEADER_BYTES;
                offset + RecordCodec.RECORD_HEADER_BYTES <= bytes.length;
                offset += RecordCodec.RECORD_HEADER_BYTES + buffer.getInt(offset + 5)) {
            offsets.add((long) offset);
        }
        return offsets;
    }
}
