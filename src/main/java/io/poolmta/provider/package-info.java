/**
 * Mailbox providers (Google, Microsoft, Yahoo/AOL, Apple iCloud, other): which provider a
 * destination belongs to, by its domain or its MX hosts, and the sending limits each one gets.
 */
package io.poolmta.provider;
