/** Accounts (tenants): their identity, SigV4 access keys, SMTP credentials and account-wide sending settings. */
package io.poolmta.account;
