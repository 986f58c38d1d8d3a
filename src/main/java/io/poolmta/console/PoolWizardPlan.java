package io.poolmta.console;

import io.poolmta.common.PoolMtaException;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.NewConfigurationSet;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.DedicatedIpView;
import io.poolmta.pool.ScalingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the Create a New IP Pool wizard has been told: the pool's name, the IPs to put in it
 * (with the pool each was in when it was chosen), and what to do with a configuration set. Applying
 * it calls the services in the wizard's order — CreateDedicatedIpPool, PutDedicatedIpInPool for
 * each IP, then CreateConfigurationSet or PutConfigurationSetDeliveryOptions — so each step is
 * checked by the same rules as the API. {@link #apply} runs inside one transaction: either all of it
 * lands or none. {@link #check} runs the same steps and rolls them back, to validate a step before
 * moving on.
 */
public record PoolWizardPlan(
        String poolName, Map<String, String> ipsWithPool, SetChoice setChoice, String existingSet, String newSet) {

    /** Step 3's choice. */
    public enum SetChoice {
        NONE,
        EXISTING,
        NEW;

        static SetChoice parse(String text) {
            return switch (text) {
                case "existing" -> EXISTING;
                case "new" -> NEW;
                default -> NONE;
            };
        }

        public String formValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How far a check goes, and which field a refusal belongs to. */
    public enum Stage {
        NAME("pool-name"),
        IPS("ips"),
        SET("set");

        private final String field;

        Stage(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** A refusal of one stage, in the service's words. */
    public static final class StepFailed extends RuntimeException {
        private final Stage stage;

        StepFailed(Stage stage, String message) {
            super(message, null, false, false);
            this.stage = stage;
        }

        public Stage stage() {
            return stage;
        }
    }

    private static final class Rollback extends RuntimeException {
        Rollback() {
            super(null, null, false, false);
        }
    }

    /** Runs the stages up to {@code upTo} and rolls them back; throws {@link StepFailed} for a refusal. */
    public void check(ConsoleServices s, String accountId, Stage upTo) {
        try {
            s.tx().run(() -> {
                run(s, accountId, upTo);
                throw new Rollback();
            });
        } catch (Rollback expected) {
            // every stage passed; nothing stays
        }
    }

    /** Does it all in one transaction; throws {@link StepFailed} (and changes nothing) if any step is refused. */
    public void apply(ConsoleServices s, String accountId) {
        s.tx().run(() -> run(s, accountId, Stage.SET));
    }

    private void run(ConsoleServices s, String accountId, Stage upTo) {
        stage(Stage.NAME, () -> s.pools().create(accountId, poolName, ScalingMode.STANDARD, List.of()));
        if (upTo == Stage.NAME) {
            return;
        }
        stage(Stage.IPS, () -> {
            for (Map.Entry<String, String> chosen : ipsWithPool.entrySet()) {
                DedicatedIpView now = s.pools().getIp(accountId, chosen.getKey());
                if (!chosen.getValue().isEmpty() && !now.poolName().equals(chosen.getValue())) {
                    throw PoolMtaException.badRequest("IP " + chosen.getKey() + " was moved to "
                            + now.poolName() + " after you chose it (it was in " + chosen.getValue()
                            + "); go back and choose again.");
                }
                s.pools().moveIp(accountId, chosen.getKey(), poolName);
            }
        });
        if (upTo == Stage.IPS) {
            return;
        }
        stage(Stage.SET, () -> {
            switch (setChoice) {
                case NONE -> {}
                case EXISTING -> {
                    if (existingSet.isEmpty()) {
                        throw PoolMtaException.badRequest("Choose one of the existing configuration sets.");
                    }
                    ConfigurationSet set = s.sets().get(accountId, existingSet);
                    DeliveryOptions old = set.deliveryOptions();
                    s.sets()
                            .putDeliveryOptions(
                                    accountId,
                                    existingSet,
                                    new DeliveryOptions(
                                            old.tlsPolicy(), Optional.of(poolName), old.maxDeliverySeconds()));
                }
                case NEW ->
                    s.sets()
                            .create(
                                    accountId,
                                    new NewConfigurationSet(
                                            newSet,
                                            new DeliveryOptions(
                                                    TlsPolicy.OPTIONAL, Optional.of(poolName), Optional.empty()),
                                            true,
                                            ReputationOptions.DEFAULT,
                                            Map.of(),
                                            List.of()));
            }
        });
    }

    private static void stage(Stage stage, Runnable work) {
        try {
            work.run();
        } catch (PoolMtaException e) {
            throw new StepFailed(stage, e.getMessage());
        }
    }
}
