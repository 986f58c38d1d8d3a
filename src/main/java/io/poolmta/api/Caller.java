package io.poolmta.api;

/** The authenticated account behind a SES API request, and the region it signed for. */
public record Caller(String accountId, String accessKeyId, String region) {}
