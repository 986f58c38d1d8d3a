/**
 * Mailbox-provider simulator, for the demo and for tests: SMTP servers on loopback that act like
 * receiving providers. A {@link io.poolmta.sim.ProviderSimulator} keeps each source IP's history,
 * gives it limits by its reputation ({@link io.poolmta.sim.ProviderProfile}: Gmail-, Outlook- and
 * Yahoo-like presets, and a lenient one), throttles it with the provider's own 4xx words when it
 * sends more than that, refuses unknown users with 550 5.1.1, and counts what it accepted from each
 * source IP; with a {@link io.poolmta.sim.FeedbackLoop} it sends bounce reports (DSNs) and
 * complaints (ARF) about accepted mail to the return paths, at configured rates, from a seed.
 * {@link io.poolmta.sim.SimulatedMailbox} is the lenient one the demo uses. Loopback only;
 * time from an injected clock.
 */
package io.poolmta.sim;
