package io.poolmta.advisor;

import java.util.List;
import java.util.Optional;

/**
 * The advice for one account: its daily volumes over the window ({@code daily}, oldest first), their
 * statistics, its dedicated IPs now, the recommendation and the reasons (each with its figures), the
 * IP plan when dedicated IPs are recommended, its configuration sets and its IPs per provider.
 */
public record AccountAdvice(
        String accountId,
        String name,
        List<Long> daily,
        VolumeStats stats,
        int dedicatedIps,
        Recommendation recommendation,
        List<String> reasons,
        Optional<IpPlan> ipPlan,
        List<SetAdvice> sets,
        List<IpProviderAdvice> ipProviders) {}
