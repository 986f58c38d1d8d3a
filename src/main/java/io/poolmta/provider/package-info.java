/**
 * Mailbox providers (Google, Microsoft, Yahoo/AOL, Apple iCloud, other): which provider a
 * destination belongs to, by its domain or its MX hosts, the sending limits each one gets, and the
 * reply texts that mean "slow down". The shipped values are data, the bundled providers.json, in
 * the format of the config file's {@code providers} key ({@link ProvidersJson}). Also what a
 * failed delivery means in SES's bounce types ({@link BounceClassifier}: enhanced status codes,
 * then the big providers' reply texts, as data in the bundled bounce-rules.json), one classifier
 * for the replies during delivery and for the bounce reports that come back later.
 */
package io.poolmta.provider;
