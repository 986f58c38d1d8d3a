/** The SES v2 operations PoolMTA serves, one class per operation, and their JSON shapes. */
package io.poolmta.api.ses;
