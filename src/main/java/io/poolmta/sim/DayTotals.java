package io.poolmta.sim;

/** What one source IP did on one day: messages accepted, throttle replies received. */
record DayTotals(long accepted, long throttled) {
    static final DayTotals NONE = new DayTotals(0, 0);

    DayTotals plus(long moreAccepted, long moreThrottled) {
        return new DayTotals(accepted + moreAccepted, throttled + moreThrottled);
    }
}
