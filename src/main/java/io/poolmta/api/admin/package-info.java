/**
 * The operator's admin API under {@code /admin/v1}: accounts and keys, sending IPs, static routes.
 * It takes only the operator's bearer token; an account's SigV4 key never works here.
 */
package io.poolmta.api.admin;
