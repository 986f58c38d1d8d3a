/**
 * The web console, served at {@code /console} on the API listener: an account signs in with its
 * access key ID and secret access key and sees its Dedicated IPs, pools (with the Create a New IP
 * Pool wizard), configuration sets and account; the operator signs in with the operator token. Pages
 * are rendered on the server from templates compiled at build time (jte), with htmx and the
 * console's stylesheet served from the same listener. Every change goes through the same domain
 * services as the SES API, so the two never disagree; the console adds sessions, CSRF tokens and
 * the sign-in lockout, nothing else.
 */
package io.poolmta.console;
