/**
 * Dedicated IP pools of an account: standard pools the account fills, managed pools PoolMTA fills,
 * the reserved default and shared pools, and the rule that an IP is in at most one pool.
 */
package io.poolmta.pool;
