package io.poolmta.advisor;

import java.util.List;

/** The advisor's report: the window (epoch days, inclusive), the thresholds used, and per account advice. */
public record AdvisorReport(long firstDay, long lastDay, AdvisorSettings settings, List<AccountAdvice> accounts) {}
