/**
 * Accounts (tenants): their identity, SigV4 access keys, SMTP credentials and account-wide sending
 * settings — the sandbox and production access, pauses, and the send quota every message is held
 * to (the rate and the rolling 24-hour count).
 */
package io.poolmta.account;
