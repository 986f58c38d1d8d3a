/**
 * Acceptance: the one path every message takes into PoolMTA, from SendEmail and SMTP alike.
 * Checks that the account and configuration set may send and that the pool has IPs, stores the
 * message durably, and only then hands it to delivery and says yes.
 */
package io.poolmta.sending;
