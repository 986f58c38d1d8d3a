/**
 * Feedback in: the inbound SMTP listener that takes bounce reports and complaints addressed to the
 * return paths PoolMTA gave its mail (never a relay), the ledger of sent messages that ties a
 * report to its message long after the spool forgot it, the parsers of delivery status
 * notifications (RFC 3464), of common plain-text bounces and of ARF complaints (RFC 5965), and the
 * Bounce and Complaint events they become.
 */
package io.poolmta.feedback;
