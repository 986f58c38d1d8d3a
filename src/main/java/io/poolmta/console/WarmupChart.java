package io.poolmta.console;

import java.util.List;

/**
 * A small server-drawn SVG chart of one IP's warm-up: the plan's daily cap for every day of the
 * plan (a line, on a logarithmic scale) and what the IP really sent on the days PoolMTA still holds
 * counts for (bars), with today's day marked. Coordinates are computed here; the template only
 * writes them into SVG attributes (no inline style or script, so the page's CSP holds). The plan's
 * line is the same for every IP: a page computes its {@link Scale} once and draws each IP with it.
 */
public record WarmupChart(String capLine, List<Bar> bars, double todayX, String summary) {
    public static final int WIDTH = 240;
    public static final int HEIGHT = 60;

    /** One day's sent count. */
    public record Bar(double x, double y, double width, double height, String title) {}

    /** A day of the plan (0 = the first) with what was sent on it. */
    public record SentDay(int day, long sent) {}

    public static WarmupChart of(List<Long> caps, int today, List<SentDay> sent) {
        return Scale.of(caps).chart(today, sent);
    }

    /** The plan's caps laid out once: the cap line and the scale the bars are drawn on. */
    public record Scale(List<Long> caps, long floor, long max, double step, String capLine) {
        public static Scale of(List<Long> caps) {
            long max =
                    Math.max(1, caps.stream().mapToLong(Long::longValue).max().orElse(1));
            long floor =
                    Math.max(1, caps.stream().mapToLong(Long::longValue).min().orElse(1) / 2);
            double step = (double) WIDTH / caps.size();
            StringBuilder line = new StringBuilder(caps.size() * 12);
            for (int d = 0; d < caps.size(); d++) {
                if (d > 0) {
                    line.append(' ');
                }
                num(line, d * step + step / 2).append(',');
                num(line, y(caps.get(d), floor, max));
            }
            return new Scale(List.copyOf(caps), floor, max, step, line.toString());
        }

        public WarmupChart chart(int today, List<SentDay> sent) {
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
            return new WarmupChart(capLine, bars, round(day * step + step / 2), summary);
        }
    }

    private static double y(long value, long floor, long max) {
        double span = Math.log(max) - Math.log(floor);
        double v = Math.log(Math.max(value, floor)) - Math.log(floor);
        return HEIGHT - (span <= 0 ? HEIGHT : v / span * (HEIGHT - 2));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** One decimal, as "%.1f" writes it in the ROOT locale, without a Formatter. */
    private static StringBuilder num(StringBuilder out, double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            out.append('-');
            tenths = -tenths;
        }
        return out.append(tenths / 10).append('.').append(tenths % 10);
    }
}
