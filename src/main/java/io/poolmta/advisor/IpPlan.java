package io.poolmta.advisor;

/**
 * How many dedicated IPs an account's volume calls for at the warm-up plan's caps:
 * {@code needed} fully warmed IPs carry its busiest day ({@code finalDailyCap} each);
 * {@code keptWarm} is the most IPs its mean day keeps at the advisor's minimum daily volume each;
 * {@code warmupDays} is the plan day from which {@code needed} warming IPs carry its mean day.
 */
public record IpPlan(int needed, int keptWarm, long finalDailyCap, int warmupDays) {}
