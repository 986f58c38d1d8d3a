package io.poolmta.server;

import io.poolmta.identity.DkimSigners;
import io.poolmta.reputation.Enforcement;
import io.poolmta.store.Jdbc;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.template.TemplateService;
import java.util.List;

/**
 * What a node keeps in memory outside the store's committed snapshots, and which tables another
 * node's commit must touch for it to be reloaded here (the store's change feed runs the reloads; on
 * the embedded database no other node writes, so they never run). The snapshots (accounts, access
 * keys, IPs, pools, configuration sets, routes, event destinations, identities) follow by themselves.
 */
final class ClusterReloads {
    private ClusterReloads() {}

    static void register(
            Jdbc jdbc,
            Enforcement enforcement,
            SuppressionList suppression,
            TemplateService templates,
            DkimSigners dkimSigners) {
        // a scope another node paused (SHUTDOWN) or reinstated
        jdbc.onRemoteChange(List.of("reputation_enforcement"), enforcement::reload);
        // addresses another node suppressed: acceptance trusts the index's misses
        jdbc.onRemoteChange(List.of("suppressed_destinations"), suppression::catchUp);
        jdbc.onRemoteChange(List.of("account_suppression"), suppression::forgetAccountReasons);
        // compiled templates are kept by version, which starts again at 1 for a re-created template
        jdbc.onRemoteChange(List.of("email_templates"), templates::forgetCompiled);
        // signers are kept by selector: a key given again under the same selector, a deleted identity,
        // a key sealed again or removed (on PostgreSQL the private keys are a table too)
        jdbc.onRemoteChange(List.of("email_identities", "dkim_private_keys"), dkimSigners::forgetAll);
    }
}
