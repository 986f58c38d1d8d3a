/**
 * Reputation: counters of what happened to mail (sent, delivered, delayed, bounced, complained,
 * suppressed) per account, configuration set, pool, sending IP, mailbox provider and From
 * identity, per hour and per day, fed by the published events and kept in the database; and
 * enforcement on them as SES does it: bounce and complaint rates over a window put an account, a
 * configuration set with reputation metrics, or an account's use of the shared pool under review
 * (PROBATION) or pause it (SHUTDOWN) until the operator reinstates it.
 */
package io.poolmta.reputation;
