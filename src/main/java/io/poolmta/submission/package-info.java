/** The SMTP submission server: authenticated clients hand over messages, never an open relay. */
package io.poolmta.submission;
