/** Configuration sets: per-message sending rules, above all which pool the mail leaves from. */
package io.poolmta.configset;
