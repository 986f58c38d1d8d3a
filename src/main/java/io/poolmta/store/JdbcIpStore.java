package io.poolmta.store;

import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.warmup.WarmupState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sending IPs in SQL. Reads come from an in-memory index of every IP, rebuilt after any committed
 * write ({@link CommittedSnapshot}): source selection reads them for every message.
 */
public final class JdbcIpStore implements IpStore {
    private static final String COLUMNS = "address, ip_role, account_id, pool_name, ehlo_name, warmup_complete,"
            + " warmup_anchor_ms, added_at_ms, warmup_paused_at_ms, warmup_counted_through_ms, node";

    private record Index(
            List<SendingIp> all,
            Map<String, SendingIp> byAddress,
            Map<String, List<SendingIp>> byAccount,
            Map<String, List<SendingIp>> byPool) {}

    private final Jdbc jdbc;
    private final CommittedSnapshot<Index> index;

    public JdbcIpStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.index = new CommittedSnapshot<>(jdbc, List.of("sending_ips"), this::load);
    }

    private Index load() {
        List<SendingIp> all = new ArrayList<>(jdbc.query("SELECT " + COLUMNS + " FROM sending_ips", JdbcIpStore::ip));
        all.sort(Comparator.comparing(SendingIp::address));
        Map<String, SendingIp> byAddress = new HashMap<>();
        Map<String, List<SendingIp>> byAccount = new HashMap<>();
        Map<String, List<SendingIp>> byPool = new HashMap<>();
        for (SendingIp ip : all) {
            byAddress.put(ip.address().text(), ip);
            ip.accountId().ifPresent(a -> {
                byAccount.computeIfAbsent(a, k -> new ArrayList<>()).add(ip);
                ip.poolName()
                        .ifPresent(p -> byPool.computeIfAbsent(a + "/" + p, k -> new ArrayList<>())
                                .add(ip));
            });
        }
        return new Index(List.copyOf(all), Map.copyOf(byAddress), freeze(byAccount), freeze(byPool));
    }

    private static Map<String, List<SendingIp>> freeze(Map<String, List<SendingIp>> map) {
        Map<String, List<SendingIp>> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Map.copyOf(out);
    }

    @Override
    public void insert(SendingIp ip) {
        jdbc.update(
                "INSERT INTO sending_ips (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ip.address().text(),
                ip.role().name(),
                ip.accountId().orElse(null),
                ip.poolName().orElse(null),
                ip.ehloName(),
                ip.warmup().complete(),
                ip.warmup().anchor().toEpochMilli(),
                ip.addedAt().toEpochMilli(),
                ip.warmup().pausedAt().map(Instant::toEpochMilli).orElse(null),
                ip.warmup().countedThrough().map(Instant::toEpochMilli).orElse(null),
                ip.node().orElse(null));
    }

    /** Changes everything but the node: an address stays on the host that binds it. */
    @Override
    public void update(SendingIp ip) {
        jdbc.update(
                "UPDATE sending_ips SET ip_role = ?, account_id = ?, pool_name = ?, ehlo_name = ?,"
                        + " warmup_complete = ?, warmup_anchor_ms = ?, warmup_paused_at_ms = ?, warmup_counted_through_ms = ?"
                        + " WHERE address = ?",
                ip.role().name(),
                ip.accountId().orElse(null),
                ip.poolName().orElse(null),
                ip.ehloName(),
                ip.warmup().complete(),
                ip.warmup().anchor().toEpochMilli(),
                ip.warmup().pausedAt().map(Instant::toEpochMilli).orElse(null),
                ip.warmup().countedThrough().map(Instant::toEpochMilli).orElse(null),
                ip.address().text());
    }

    @Override
    public void delete(Ipv4 address) {
        jdbc.update("DELETE FROM sending_ips WHERE address = ?", address.text());
    }

    @Override
    public Optional<SendingIp> byAddress(Ipv4 address) {
        return Optional.ofNullable(index.get().byAddress().get(address.text()));
    }

    @Override
    public List<SendingIp> all() {
        return index.get().all();
    }

    @Override
    public List<SendingIp> ofAccount(String accountId) {
        return index.get().byAccount().getOrDefault(accountId, List.of());
    }

    @Override
    public List<SendingIp> inPool(String accountId, String poolName) {
        return index.get().byPool().getOrDefault(accountId + "/" + poolName, List.of());
    }

    private static SendingIp ip(ResultSet rs) throws SQLException {
        Instant anchor = Instant.ofEpochMilli(rs.getLong("warmup_anchor_ms"));
        WarmupState warmup = new WarmupState(
                rs.getBoolean("warmup_complete"),
                anchor,
                Jdbc.optionalLong(rs, "warmup_paused_at_ms").map(Instant::ofEpochMilli),
                Jdbc.optionalLong(rs, "warmup_counted_through_ms").map(Instant::ofEpochMilli));
        return new SendingIp(
                Ipv4.parse(rs.getString("address")),
                IpRole.valueOf(rs.getString("ip_role")),
                Jdbc.optionalString(rs, "account_id"),
                Jdbc.optionalString(rs, "pool_name"),
                rs.getString("ehlo_name"),
                warmup,
                Instant.ofEpochMilli(rs.getLong("added_at_ms")),
                Jdbc.optionalString(rs, "node"));
    }
}
