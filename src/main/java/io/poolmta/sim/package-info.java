/**
 * Mailbox-provider simulator: SMTP servers on loopback that stand in for receiving providers in the
 * demo and in tests, and count what they accepted from each source address.
 */
package io.poolmta.sim;
