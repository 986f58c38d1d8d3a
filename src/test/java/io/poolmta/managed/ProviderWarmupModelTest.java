package io.poolmta.managed;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.warmup.WarmupPlan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Per-provider warm-up of a managed IP: days of volume to one provider raise its level there only
 * (warm for one provider, cold for another); idle days make it fall back.
 */
class ProviderWarmupModelTest {
    private static final List<Long> CAPS = WarmupPlan.standard().dailyCaps();
    private final ProviderWarmupModel model = new ProviderWarmupModel(CAPS);

    @Test
    void aDayWithEnoughVolumeRaisesTheLevelAndALightDayHoldsIt() {
        ProviderLevel full = new ProviderLevel(0, 10, 200, 10);
        assertThat(model.rollTo(full, 11).level()).isEqualTo(1);
        assertThat(model.rollTo(full, 11).sent()).isZero();
        ProviderLevel half = new ProviderLevel(3, 10, (CAPS.get(3) + 1) / 2, 10);
        assertThat(model.rollTo(half, 11).level()).isEqualTo(4);
        ProviderLevel light = new ProviderLevel(3, 10, 5, 10);
        assertThat(model.rollTo(light, 11).level()).isEqualTo(3);
        assertThat(model.rollTo(light, 10)).isSameAs(light);
    }

    @Test
    void idleDaysFallBackAfterTheGraceDayNeverBelowZero() {
        ProviderLevel active = new ProviderLevel(9, 9, CAPS.get(9), 9); // level 10 after day 9 closes
        assertThat(model.rollTo(active, 10).level()).isEqualTo(10);
        assertThat(model.rollTo(active, 11).level()).as("day 10 idle: grace").isEqualTo(10);
        assertThat(model.rollTo(active, 13).level())
                .as("days 11, 12 idle")
                .isEqualTo(10 - 2 * ProviderWarmupModel.FALLBACK_PER_IDLE_DAY);
        assertThat(model.rollTo(active, 100).level()).isZero();
        // rolling day by day gives the same as rolling at once
        ProviderLevel stepwise = active;
        for (long d = 10; d <= 13; d++) {
            stepwise = model.rollTo(stepwise, d);
        }
        assertThat(stepwise.level()).isEqualTo(model.rollTo(active, 13).level());
        assertThat(stepwise.lastActiveDay()).isEqualTo(9);
    }

    @Test
    void theTopLevelIsWarmWithNoCap() {
        assertThat(model.cap(0)).isEqualTo(OptionalLong.of(WarmupPlan.FIRST_DAY_CAP));
        assertThat(model.cap(model.warmLevel() - 1)).isEqualTo(OptionalLong.of(WarmupPlan.FINAL_DAY_CAP));
        assertThat(model.cap(model.warmLevel())).isEmpty();
        assertThat(model.status(0)).isEqualTo(WarmupLevelStatus.COLD);
        assertThat(model.status(model.warmLevel())).isEqualTo(WarmupLevelStatus.WARM);
        ProviderLevel warm = new ProviderLevel(model.warmLevel(), 5, 1, 5);
        assertThat(model.rollTo(warm, 6).level()).isEqualTo(model.warmLevel());
    }

    @Test
    void anIpWarmsForOneProviderWhileStayingColdForAnotherAndFallsBackWhenVolumeStops() {
        MutableClock clock = MutableClock.startingNow();
        ProviderWarmupLedger ledger =
                new ProviderWarmupLedger(model, new MemoryStore(), List.of("google", "microsoft"), clock);
        String ip = "127.0.0.51";
        for (int day = 0; day < 12; day++) {
            long sent = 0;
            while (ledger.tryTake(ip, "google")) {
                sent++;
            }
            assertThat(sent).as("day %d cap", day).isEqualTo(CAPS.get(day));
            ledger.tryTake(ip, "microsoft"); // a trickle: level holds
            clock.advance(Duration.ofDays(1));
        }
        assertThat(ledger.current(ip, "google").level()).isEqualTo(12);
        assertThat(ledger.current(ip, "microsoft").level()).isZero();
        Map<String, ProviderWarmupView> report = new HashMap<>();
        ledger.report(ip).forEach(v -> report.put(v.provider(), v));
        assertThat(report.get("google").dailyCap()).isEqualTo(OptionalLong.of(CAPS.get(12)));
        assertThat(report.get("google").status()).isEqualTo(WarmupLevelStatus.WARMING);
        assertThat(report.get("microsoft").dailyCap()).isEqualTo(OptionalLong.of(WarmupPlan.FIRST_DAY_CAP));
        assertThat(report.get("microsoft").status()).isEqualTo(WarmupLevelStatus.COLD);

        clock.advance(Duration.ofDays(4)); // today is idle day 5; days 1..4 idle, 3 of them penalised
        assertThat(ledger.current(ip, "google").level()).isEqualTo(12 - 3 * ProviderWarmupModel.FALLBACK_PER_IDLE_DAY);
        // the giveBack of an unused selection frees room again
        while (ledger.tryTake(ip, "microsoft")) {
            // fill today's cap
        }
        ledger.giveBack(ip, "microsoft");
        assertThat(ledger.tryTake(ip, "microsoft")).isTrue();
        assertThat(ledger.tryTake(ip, "microsoft")).isFalse();
    }

    @Test
    void flushedPositionsSurviveANewLedger() {
        MutableClock clock = MutableClock.startingNow();
        MemoryStore store = new MemoryStore();
        ProviderWarmupLedger first = new ProviderWarmupLedger(model, store, List.of("google"), clock);
        for (int i = 0; i < 150; i++) {
            first.tryTake("127.0.0.51", "google");
        }
        first.flush();
        ProviderWarmupLedger second = new ProviderWarmupLedger(model, store, List.of("google"), clock);
        assertThat(second.current("127.0.0.51", "google").sent()).isEqualTo(150);
        clock.advance(Duration.ofDays(1));
        assertThat(second.current("127.0.0.51", "google").level()).isEqualTo(1);
    }

    static final class MemoryStore implements ProviderWarmupStore {
        private final Map<String, ProviderLevel> rows = new HashMap<>();

        @Override
        public Optional<ProviderLevel> get(String address, String provider) {
            return Optional.ofNullable(rows.get(address + "|" + provider));
        }

        @Override
        public void put(String address, String provider, ProviderLevel level) {
            rows.put(address + "|" + provider, level);
        }

        @Override
        public long lastActiveDay(String address) {
            return rows.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(address + "|"))
                    .mapToLong(e -> e.getValue().lastActiveDay())
                    .max()
                    .orElse(ProviderLevel.NEVER);
        }

        @Override
        public List<String> providersOf(String address) {
            return rows.keySet().stream()
                    .filter(k -> k.startsWith(address + "|"))
                    .map(k -> k.substring(k.indexOf('|') + 1))
                    .toList();
        }
    }
}
