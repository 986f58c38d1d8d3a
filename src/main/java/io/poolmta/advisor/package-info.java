/**
 * The shared-or-dedicated advisor: daily send volumes per account, configuration set, pool,
 * sending IP and mailbox provider, counted from published events and kept for
 * {@link io.poolmta.advisor.DailyVolumeLedger#RETENTION_DAYS} days, and the rules of thumb that
 * turn them into recommendations, each with the figures it rests on.
 */
package io.poolmta.advisor;
