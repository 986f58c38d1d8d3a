package io.poolmta.console;

import java.util.List;
import java.util.Locale;

/**
 * A small server-drawn SVG chart of one IP's warm-up: the plan's daily cap for every day of the
 * plan (a line, on a logarithmic scale) and what the IP really sent on the days PoolMTA still holds
 * counts for (bars), with today's day marked. Coordinates are computed here; the template only
 * writes them into SVG attributes (no inline style or script, so the page's CSP holds).
 */
public record WarmupChart(String capLine, List<Bar> bars, double todayX, String summary) {
    public static final int WIDTH = 240;
    public static final int HEIGHT = 60;

    /** One day's sent count. */
    public record Bar(double x, double y, double width, double height, String title) {}

    /** A day of the plan (0 = the first) with what was sent on it. */
    public record SentDay(int day, long sent) {}

    public static WarmupChart of(List<Long> caps, int today, List<SentDay> sent) {
        long max = Math.max(1, caps.stream().mapToLong(Long::longValue).max().orElse(1));
        long floor = Math.max(1, caps.stream().mapToLong(Long::longValue).min().orElse(1) / 2);
        double step = (double) WIDTH / caps.size();
        StringBuilder line = new StringBuilder();
        for (int d = 0; d < caps.size(); d++) {
            if (d > 0) {
                line.append(' ');
            }
            line.append(num(d * step + step / 2)).append(',').append(num(y(caps.get(d), floor, max)));
        }
        List<Bar> bars = sent.stream()
                .filter(s -> s.day() >= 0 && s.day() < caps.size())
                .map(s -> {
                    double top = s.sent() <= 0 ? HEIGHT : y(Math.min(s.sent(), max), floor, max);
                    return new Bar(
                            round(s.day() * step + 1),
                            round(top),
                            round(Math.max(1, step - 2)),
                            round(HEIGHT - top),
                            "Day " + (s.day() + 1) + ": sent " + s.sent() + " of " + caps.get(s.day()));
                })
                .toList();
        int day = Math.min(Math.max(today, 0), caps.size() - 1);
        String summary = "Day " + (day + 1) + " of " + caps.size() + ": cap " + caps.get(day) + " today";
        return new WarmupChart(line.toString(), bars, round(day * step + step / 2), summary);
    }

    private static double y(long value, long floor, long max) {
        double span = Math.log(max) - Math.log(floor);
        double v = Math.log(Math.max(value, floor)) - Math.log(floor);
        return HEIGHT - (span <= 0 ? HEIGHT : v / span * (HEIGHT - 2));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
