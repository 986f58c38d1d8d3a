/**
 * Sending identities of an account (email addresses and domains), their verification, and DKIM:
 * per-domain keys kept in the data directory, the DNS records to publish, the check of those
 * records, and the signer that puts a DKIM-Signature on a message.
 */
package io.poolmta.identity;
