package io.poolmta.reputation;

/** A set of counter values, one per {@link Metric}. */
public record Counts(
        long sent,
        long delivered,
        long delayed,
        long bouncedPermanent,
        long bouncedTransient,
        long complained,
        long suppressed) {
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

    /** Values in {@link Metric} order. */
    public static Counts of(long[] values) {
        return new Counts(values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
    }

    public long get(Metric metric) {
        return switch (metric) {
            case SENT -> sent;
            case DELIVERED -> delivered;
            case DELAYED -> delayed;
            case BOUNCED_PERMANENT -> bouncedPermanent;
            case BOUNCED_TRANSIENT -> bouncedTransient;
            case COMPLAINED -> complained;
            case SUPPRESSED -> suppressed;
        };
    }

    public Counts plus(Counts o) {
        return new Counts(
                sent + o.sent,
                delivered + o.delivered,
                delayed + o.delayed,
                bouncedPermanent + o.bouncedPermanent,
                bouncedTransient + o.bouncedTransient,
                complained + o.complained,
                suppressed + o.suppressed);
    }

    /** Values in {@link Metric} order. */
    public long[] toArray() {
        return new long[] {sent, delivered, delayed, bouncedPermanent, bouncedTransient, complained, suppressed};
    }
}
