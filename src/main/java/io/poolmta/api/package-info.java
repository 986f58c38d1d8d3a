/**
 * The APIs served by the HTTP server: the SES v2 REST-JSON API (SigV4-authenticated, one handler
 * per operation) and the operator's admin API (bearer-token authenticated). {@link ApiRefusals}
 * words every refusal and failure as an SES error type and status.
 */
package io.poolmta.api;
