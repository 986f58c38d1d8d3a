package io.poolmta.store;

import io.poolmta.events.DestinationKind;
import io.poolmta.events.EventDestination;
import io.poolmta.events.EventDestinationStore;
import io.poolmta.events.EventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Event destinations in SQL; matching types as a comma-separated list. */
public final class JdbcEventDestinationStore implements EventDestinationStore {
    private final Jdbc jdbc;

    public JdbcEventDestinationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(EventDestination d) {
        jdbc.update("INSERT INTO event_destinations (account_id, set_name, destination_name, enabled, matching_types,"
                        + " destination_kind, target) VALUES (?, ?, ?, ?, ?, ?, ?)",
                d.accountId(), d.configurationSet(), d.name(), d.enabled(), types(d.matchingTypes()), d.kind().name(),
                d.target());
    }

    @Override
    public void update(EventDestination d) {
        jdbc.update("UPDATE event_destinations SET enabled = ?, matching_types = ?, destination_kind = ?, target = ?"
                        + " WHERE account_id = ? AND set_name = ? AND destination_name = ?",
                d.enabled(), types(d.matchingTypes()), d.kind().name(), d.target(), d.accountId(), d.configurationSet(),
                d.name());
    }

    @Override
    public void delete(String accountId, String set, String name) {
        jdbc.update("DELETE FROM event_destinations WHERE account_id = ? AND set_name = ? AND destination_name = ?",
                accountId, set, name);
    }

    @Override
    public Optional<EventDestination> get(String accountId, String set, String name) {
        return jdbc.queryOne("SELECT * FROM event_destinations WHERE account_id = ? AND set_name = ? AND destination_name = ?",
                JdbcEventDestinationStore::destination, accountId, set, name);
    }

    @Override
    public List<EventDestination> ofSet(String accountId, String set) {
        return jdbc.query("SELECT * FROM event_destinations WHERE account_id = ? AND set_name = ? ORDER BY destination_name",
                JdbcEventDestinationStore::destination, accountId, set);
    }

    private static String types(Set<EventType> types) {
        return types.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static EventDestination destination(ResultSet rs) throws SQLException {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        Arrays.stream(rs.getString("matching_types").split(",")).filter(s -> !s.isEmpty())
                .forEach(t -> types.add(EventType.valueOf(t)));
        return new EventDestination(rs.getString("account_id"), rs.getString("set_name"), rs.getString("destination_name"),
                rs.getBoolean("enabled"), types, DestinationKind.valueOf(rs.getString("destination_kind")),
                rs.getString("target"));
    }
}
