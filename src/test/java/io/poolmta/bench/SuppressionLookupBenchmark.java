package io.poolmta.bench;

import io.poolmta.common.Transactions;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressedDestination;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.suppression.SuppressionReason;
import io.poolmta.suppression.SuppressionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The suppression check acceptance makes for one recipient, with 1,000,000 addresses on the
 * account's list: the real {@link SuppressionList} and its in-memory index, loaded from a store
 * that only lists the entries (a miss never reaches the store, and a miss is what nearly every
 * recipient is). Beside it, for scale, the same check for an account without a list and a plain
 * {@code HashSet<String>} of the addresses; the setup prints the heap each structure takes. Goal:
 * well under 1 µs, so a million-entry list does not slow acceptance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SuppressionLookupBenchmark {
    private static final int LISTED = 1_000_000;
    private static final int PROBES = 4096;

    private SuppressionList list;
    private List<String>[] unlisted;
    private int next;
    /** For comparison: the obvious structure, a set of the normalised addresses as strings. */
    private Set<String> strings;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        list = new SuppressionList(
                new ScanOnly(), new Direct(), (account, name) -> Optional.empty(), Clock.systemUTC());
        long before = usedHeap();
        list.load();
        long after = usedHeap();
        System.out.printf(
                "%n%,d addresses on the list; index heap growth about %,d bytes (%.1f bytes an address)%n",
                list.size("acct1"), after - before, (after - before) / (double) LISTED);
        before = usedHeap();
        strings = new HashSet<>();
        for (int i = 0; i < LISTED; i++) {
            strings.add("customer." + i + "@example.com");
        }
        after = usedHeap();
        System.out.printf(
                "HashSet<String> of the same addresses: heap growth about %,d bytes (%.1f bytes an address)%n",
                after - before, (after - before) / (double) LISTED);
        unlisted = new List[PROBES];
        for (int i = 0; i < PROBES; i++) {
            unlisted[i] = List.of("Customer." + (LISTED + i * 7919) + "@Example.com");
        }
    }

    /** One recipient not on the list: normalise, hash, probe. */
    @Benchmark
    public List<String> unlistedRecipient() {
        List<String> recipients = unlisted[next++ & (PROBES - 1)];
        return list.suppressed("acct1", Optional.empty(), recipients);
    }

    /** The same recipient for an account with no list at all: the floor. */
    @Benchmark
    public List<String> accountWithoutAList() {
        List<String> recipients = unlisted[next++ & (PROBES - 1)];
        return list.suppressed("acct2", Optional.empty(), recipients);
    }

    /** For comparison: lower-case the recipient and look it up in a HashSet of strings. */
    @Benchmark
    public boolean hashSetOfStrings() {
        List<String> recipients = unlisted[next++ & (PROBES - 1)];
        return strings.contains(recipients.getFirst().toLowerCase(Locale.ROOT));
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** The million entries, as the store's scan would give them; nothing else is called on a miss. */
    private static final class ScanOnly implements SuppressionStore {
        @Override
        public void scan(EntryVisitor visitor) {
            for (int i = 0; i < LISTED; i++) {
                visitor.visit("acct1", "customer." + i + "@example.com", SuppressionReason.BOUNCE);
            }
        }

        @Override
        public void put(SuppressedDestination destination) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<SuppressedDestination> get(String accountId, String emailAddress) {
            return Optional.empty();
        }

        @Override
        public boolean delete(String accountId, String emailAddress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SuppressedDestination> list(
                String accountId,
                Set<SuppressionReason> reasons,
                Optional<Instant> start,
                Optional<Instant> end,
                Optional<String> after,
                int limit) {
            return List.of();
        }

        @Override
        public Optional<Set<SuppressionReason>> accountReasons(String accountId) {
            return Optional.empty();
        }

        @Override
        public void putAccountReasons(String accountId, Set<SuppressionReason> reasons) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void insertJob(ImportJob job, String runBy) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateJob(ImportJob job) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ImportJob> job(String accountId, String jobId) {
            return Optional.empty();
        }

        @Override
        public List<ImportJob> jobs(String accountId) {
            return List.of();
        }

        @Override
        public List<RunningJob> unfinishedJobs() {
            return List.of();
        }

        @Override
        public boolean takeOver(String jobId, String from, String to) {
            return false;
        }
    }

    private static final class Direct implements Transactions {
        @Override
        public <T> T write(Supplier<T> work) {
            return work.get();
        }
    }
}
