/** Accounts (tenants): their identity, SigV4 access keys and account-wide sending settings. */
package io.poolmta.account;
