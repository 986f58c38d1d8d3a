/**
 * The HTTP/1.1 server: the listener and its connection limit, one blocking connection per
 * platform thread, request framing and deadlines, routing by path template, query strings. It
 * knows no application: the endpoints it serves (the SES v2 and admin APIs, later the console and
 * the metrics) are {@link Endpoint}s, and the application's {@link Refusals} word every refusal and
 * failure.
 */
package io.poolmta.http;
