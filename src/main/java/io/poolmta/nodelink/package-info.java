/**
 * The node link: how nodes of a cluster hand each other mail. A message whose pool has no address
 * on the node that accepted it goes, over TLS 1.3 with mutual authentication on the cluster key
 * ({@link ClusterKey}), to a node that holds the pool's addresses ({@link NodeLinkClient}); the
 * receiving node ({@link NodeLinkServer}) answers only once its own spool holds the message.
 */
package io.poolmta.nodelink;
