/**
 * The account-level suppression list, as SES keeps it: addresses that bounced permanently or
 * complained (or that the account put there), which PoolMTA does not send to. It holds the list and
 * its in-memory index (look-ups at acceptance never touch the database), the account's and the
 * configuration sets' suppressed reasons, the event listener that adds bounced and complaining
 * addresses, and bulk import jobs from CSV or JSON files.
 */
package io.poolmta.suppression;
