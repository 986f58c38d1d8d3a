package io.poolmta.warmup;

/** What GetDedicatedIp reports: the status and the percentage (0–100, or -1 for managed IPs). */
public record WarmupProgress(WarmupStatus status, int percentage) {
    public static final WarmupProgress NOT_APPLICABLE = new WarmupProgress(WarmupStatus.NOT_APPLICABLE, -1);
}
