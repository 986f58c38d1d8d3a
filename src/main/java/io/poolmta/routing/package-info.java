/**
 * Source selection: which address of a message's pool it leaves from. A small named algorithm
 * returning a value (Selected, Delay, NoSources) so warm-up caps and provider limits plug in.
 */
package io.poolmta.routing;
