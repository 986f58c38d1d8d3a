/**
 * Egress: the source addresses a pool's mail leaves from ({@link SourceAddress}:
 * local IP and EHLO name) and source selection, which of them a message takes. A small named
 * algorithm returning a value (Selected, Delay, NoSources) so warm-up caps and provider limits
 * plug in; also the per-day send volumes those caps count.
 */
package io.poolmta.egress;
