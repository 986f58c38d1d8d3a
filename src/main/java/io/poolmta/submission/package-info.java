/**
 * The SMTP submission server: authenticated clients hand over messages, never an open relay.
 * {@link io.poolmta.submission.SubmissionServer} listens; AUTH is PLAIN or LOGIN with SMTP
 * credentials or, as in SES, an access key id and its derived SES SMTP password; STARTTLS uses a
 * configured or a generated self-signed certificate.
 */
package io.poolmta.submission;
