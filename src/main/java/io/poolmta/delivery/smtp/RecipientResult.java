package io.poolmta.delivery.smtp;

/** What the receiver said about one recipient: 2xx delivered, 4xx try again, 5xx bounce. */
public record RecipientResult(String recipient, SmtpReply reply) {}
