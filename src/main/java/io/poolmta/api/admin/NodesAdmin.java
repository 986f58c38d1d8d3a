package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.ip.ClusterNodes;
import io.poolmta.ip.NodeStatus;

/** GET /nodes: every node of the cluster (one on the embedded database), up or down by its heartbeat. */
public final class NodesAdmin {
    private final ClusterNodes nodes;

    public NodesAdmin(ClusterNodes nodes) {
        this.nodes = nodes;
    }

    public void register(AdminApi api) {
        api.add("GET", "/nodes", (labels, query, body) -> {
            ObjectNode out = Json.object();
            out.put("Self", nodes.self());
            ArrayNode list = out.putArray("Nodes");
            for (NodeStatus node : nodes.read()) {
                ObjectNode row = list.addObject();
                row.put("Name", node.name());
                row.put("State", node.up() ? "UP" : "DOWN");
                row.put("Api", node.apiAddress());
                row.put("Smtp", node.smtpAddress());
                node.linkAddress().ifPresent(link -> row.put("Link", link));
                row.put("StartedAt", node.startedAt().toString());
                row.put("LastHeartbeat", node.lastHeartbeat().toString());
                row.put("Self", node.name().equals(nodes.self()));
            }
            return out;
        });
    }
}
