package io.poolmta.store;

import io.poolmta.events.DestinationKind;
import io.poolmta.events.EventDestination;
import io.poolmta.events.EventDestinationStore;
import io.poolmta.events.EventType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Event destinations in SQL; matching types as a comma-separated list. Reads come from an
 * in-memory copy (every event looks its set's destinations up), reloaded after any committed write.
 */
public final class JdbcEventDestinationStore implements EventDestinationStore {
    private final Jdbc jdbc;
    private final CommittedSnapshot<Map<String, List<EventDestination>>> bySet;

    public JdbcEventDestinationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.bySet = new CommittedSnapshot<>(jdbc, List.of("event_destinations", "configuration_sets"), () -> {
            Map<String, List<EventDestination>> out = new HashMap<>();
            for (EventDestination d : jdbc.query(
                    "SELECT * FROM event_destinations ORDER BY destination_name",
                    JdbcEventDestinationStore::destination)) {
                out.computeIfAbsent(d.accountId() + "/" + d.configurationSet(), k -> new ArrayList<>())
                        .add(d);
            }
            out.replaceAll((k, v) -> List.copyOf(v));
            return Map.copyOf(out);
        });
    }

    @Override
    public void insert(EventDestination d) {
        jdbc.update(
                "INSERT INTO event_destinations (account_id, set_name, destination_name, enabled, matching_types,"
                        + " destination_kind, target) VALUES (?, ?, ?, ?, ?, ?, ?)",
                d.accountId(),
                d.configurationSet(),
                d.name(),
                d.enabled(),
                types(d.matchingTypes()),
                d.kind().name(),
                d.target());
    }

    @Override
    public void update(EventDestination d) {
        jdbc.update(
                "UPDATE event_destinations SET enabled = ?, matching_types = ?, destination_kind = ?, target = ?"
                        + " WHERE account_id = ? AND set_name = ? AND destination_name = ?",
                d.enabled(),
                types(d.matchingTypes()),
                d.kind().name(),
                d.target(),
                d.accountId(),
                d.configurationSet(),
                d.name());
    }

    @Override
    public void delete(String accountId, String set, String name) {
        jdbc.update(
                "DELETE FROM event_destinations WHERE account_id = ? AND set_name = ? AND destination_name = ?",
                accountId,
                set,
                name);
    }

    @Override
    public Optional<EventDestination> get(String accountId, String set, String name) {
        return ofSet(accountId, set).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public List<EventDestination> ofSet(String accountId, String set) {
        return bySet.get().getOrDefault(accountId + "/" + set, List.of());
    }

    private static String types(Set<EventType> types) {
        return types.stream().map(Enum::name).sorted().collect(Collectors.joining(","));
    }

    private static EventDestination destination(ResultSet rs) throws SQLException {
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        Arrays.stream(rs.getString("matching_types").split(","))
                .filter(s -> !s.isEmpty())
                .forEach(t -> types.add(EventType.valueOf(t)));
        return new EventDestination(
                rs.getString("account_id"),
                rs.getString("set_name"),
                rs.getString("destination_name"),
                rs.getBoolean("enabled"),
                types,
                DestinationKind.valueOf(rs.getString("destination_kind")),
                rs.getString("target"));
    }
}
