/**
 * The HTTP edge: the SES v2 REST-JSON API (SigV4-authenticated, one handler per operation) and the
 * operator's admin API (bearer-token authenticated), with SES error types on every failure.
 */
package io.poolmta.api;
