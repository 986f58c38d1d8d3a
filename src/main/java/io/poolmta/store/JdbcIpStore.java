package io.poolmta.store;

import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.warmup.WarmupState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sending IPs in SQL. */
public final class JdbcIpStore implements IpStore {
    private static final String COLUMNS = "address, ip_role, account_id, pool_name, ehlo_name, warmup_complete,"
            + " warmup_anchor_ms, added_at_ms, warmup_paused_at_ms";
    private final Jdbc jdbc;

    public JdbcIpStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(SendingIp ip) {
        jdbc.update("INSERT INTO sending_ips (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ip.address().text(), ip.role().name(), ip.accountId().orElse(null), ip.poolName().orElse(null),
                ip.ehloName(), ip.warmup().complete(), ip.warmup().anchor().toEpochMilli(), ip.addedAt().toEpochMilli(),
                ip.warmup().pausedAt().map(Instant::toEpochMilli).orElse(null));
    }

    @Override
    public void update(SendingIp ip) {
        jdbc.update("UPDATE sending_ips SET ip_role = ?, account_id = ?, pool_name = ?, ehlo_name = ?,"
                        + " warmup_complete = ?, warmup_anchor_ms = ?, warmup_paused_at_ms = ? WHERE address = ?",
                ip.role().name(), ip.accountId().orElse(null), ip.poolName().orElse(null), ip.ehloName(),
                ip.warmup().complete(), ip.warmup().anchor().toEpochMilli(),
                ip.warmup().pausedAt().map(Instant::toEpochMilli).orElse(null), ip.address().text());
    }

    @Override
    public void delete(Ipv4 address) {
        jdbc.update("DELETE FROM sending_ips WHERE address = ?", address.text());
    }

    @Override
    public Optional<SendingIp> byAddress(Ipv4 address) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM sending_ips WHERE address = ?", JdbcIpStore::ip, address.text());
    }

    @Override
    public List<SendingIp> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM sending_ips", JdbcIpStore::ip);
    }

    @Override
    public List<SendingIp> ofAccount(String accountId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sending_ips WHERE account_id = ?", JdbcIpStore::ip, accountId);
    }

    @Override
    public List<SendingIp> inPool(String accountId, String poolName) {
        return jdbc.query("SELECT " + COLUMNS + " FROM sending_ips WHERE account_id = ? AND pool_name = ?",
                JdbcIpStore::ip, accountId, poolName);
    }

    private static SendingIp ip(ResultSet rs) throws SQLException {
        Instant anchor = Instant.ofEpochMilli(rs.getLong("warmup_anchor_ms"));
        WarmupState warmup = new WarmupState(rs.getBoolean("warmup_complete"), anchor,
                Jdbc.optionalLong(rs, "warmup_paused_at_ms").map(Instant::ofEpochMilli));
        return new SendingIp(Ipv4.parse(rs.getString("address")), IpRole.valueOf(rs.getString("ip_role")),
                Jdbc.optionalString(rs, "account_id"), Jdbc.optionalString(rs, "pool_name"), rs.getString("ehlo_name"),
                warmup, Instant.ofEpochMilli(rs.getLong("added_at_ms")));
    }
}
