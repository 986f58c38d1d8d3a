package io.poolmta.managed;

/** One IP a scaling pass moved: {@code OUT} = from the reserve into the pool, {@code IN} = back to the reserve. */
public record ScalingChange(Direction direction, String accountId, String pool, String ip, String reason) {
    public enum Direction {
        OUT,
        IN
    }
}
