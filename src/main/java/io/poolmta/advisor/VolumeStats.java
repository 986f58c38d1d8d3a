package io.poolmta.advisor;

import java.util.List;

/**
 * Daily volumes of a window and their spread: {@code variation} is the coefficient of variation
 * (population standard deviation over the mean; 0 when nothing was sent).
 */
public record VolumeStats(long total, double mean, double stdDev, double variation, long max, int activeDays) {
    public static VolumeStats of(List<Long> daily) {
        long total = daily.stream().mapToLong(Long::longValue).sum();
        long max = daily.stream().mapToLong(Long::longValue).max().orElse(0);
        int active = (int) daily.stream().filter(v -> v > 0).count();
        double mean = daily.isEmpty() ? 0 : (double) total / daily.size();
        double squares =
                daily.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = daily.isEmpty() ? 0 : Math.sqrt(squares / daily.size());
        return new VolumeStats(total, mean, sd, mean == 0 ? 0 : sd / mean, max, active);
    }
}
