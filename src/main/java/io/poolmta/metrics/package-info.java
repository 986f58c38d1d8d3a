/**
 * GET /metrics: PoolMTA's state in the Prometheus exposition format, collected at scrape time from
 * the live objects (delivery engine, spool, warm-up, event counters) and written by the Prometheus
 * client library.
 */
package io.poolmta.metrics;
