package io.poolmta.managed;

/** How warm an IP is towards one provider: COLD (level 0), WARMING, WARM (no cap). */
public enum WarmupLevelStatus {
    COLD,
    WARMING,
    WARM
}
