/** Messages as PoolMTA carries them: envelopes, ids, and MIME building for SES Simple and Raw content. */
package io.poolmta.message;
