/**
 * The SMTP submission server: authenticated clients hand over messages, never an open relay.
 * {@link SubmissionServer} listens and hands each message to the sending side's
 * {@link io.poolmta.sending.EnvelopeIntake}; AUTH is PLAIN or LOGIN with SMTP credentials or, as
 * in SES, an access key id and its derived SES SMTP password, offered only once TLS is on
 * (STARTTLS, or the optional implicit-TLS listener) unless clear-text AUTH is allowed; TLS uses
 * configured PEM files (re-read when they change) or a generated self-signed certificate.
 */
package io.poolmta.submission;
