/**
 * Mailbox providers (Google, Microsoft, Yahoo/AOL, Apple iCloud, other): which provider a
 * destination belongs to, by its domain or its MX hosts, the sending limits each one gets, and the
 * reply texts that mean "slow down". The shipped values are data, the bundled providers.json, in
 * the format of the config file's {@code providers} key ({@link ProvidersJson}).
 */
package io.poolmta.provider;
