package io.poolmta.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.SendCountStore.BucketCount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-node send counts on the embedded database: own rows, the others' sums, adoption. */
class JdbcSendCountStoreTest {
    @TempDir
    Path dir;

    Database database;

    @BeforeEach
    void open() {
        database = Database.openEmbedded(dir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void eachNodeWritesItsOwnRowsAndReadsTheOthersSummed() {
        JdbcSendCountStore a = new JdbcSendCountStore(database.jdbc(), "node-a");
        JdbcSendCountStore b = new JdbcSendCountStore(database.jdbc(), "node-b");
        JdbcSendCountStore c = new JdbcSendCountStore(database.jdbc(), "node-c");

        a.putAll(List.of(new BucketCount("111122223333", 600_000, 3)));
        a.putAll(List.of(new BucketCount("111122223333", 600_000, 4))); // absolute: replaces 3
        b.putAll(List.of(new BucketCount("111122223333", 600_000, 5), new BucketCount("111122223333", 0, 1)));

        assertThat(a.since(0)).containsExactly(new BucketCount("111122223333", 600_000, 4));
        assertThat(c.since(0)).isEmpty();
        assertThat(c.othersSince(0))
                .containsExactlyInAnyOrder(
                        new BucketCount("111122223333", 600_000, 9), new BucketCount("111122223333", 0, 1));
        assertThat(a.othersSince(600_000)).containsExactly(new BucketCount("111122223333", 600_000, 5));

        c.deleteBefore(600_000);
        assertThat(a.othersSince(0)).containsExactly(new BucketCount("111122223333", 600_000, 5));
    }

    @Test
    void theFirstNodeToOpenAdoptsTheCountsStoredBeforeNodesExisted() {
        database.jdbc()
                .update(
                        "INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent) VALUES ('', ?, ?, ?)",
                        "111122223333",
                        600_000L,
                        7L);

        JdbcSendCountStore single = new JdbcSendCountStore(database.jdbc(), "mta-1");

        assertThat(single.since(0)).containsExactly(new BucketCount("111122223333", 600_000, 7));
        assertThat(single.othersSince(0)).isEmpty();
    }
}
