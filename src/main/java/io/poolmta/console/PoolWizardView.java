package io.poolmta.console;

import io.poolmta.pool.PoolNames;
import java.util.List;

/**
 * One step of the Create a New IP Pool wizard as the template shows it: the step (1 IP Pool Name,
 * 2 Add Dedicated IPs, 3 Assign to a configuration set, 4 Review), every choice made so far (carried
 * from step to step in the form), the messages beside the fields, and a failure of Create.
 */
public record PoolWizardView(
        int step,
        String poolName,
        List<IpChoice> ips,
        List<IpChoice> chosen,
        String setChoice,
        String existingSet,
        String newSet,
        List<String> existingSets,
        Views.Errors errors,
        String failure) {

    /** A dedicated IP with the pool it is in (as shown when it was chosen). */
    public record IpChoice(String ip, String currentPool, boolean chosen) {
        public String id() {
            return ip.replace('.', '-');
        }

        /** Whether choosing it takes it out of another pool. */
        public boolean moves() {
            return !currentPool.equals(PoolNames.DEFAULT_POOL);
        }

        public String formValue() {
            return ip + "|" + currentPool;
        }
    }

    public String setSummary() {
        return switch (setChoice) {
            case "existing" -> "Add this pool to the existing configuration set " + existingSet;
            case "new" -> "Create a new configuration set " + newSet + " that sends from this pool";
            default -> "None";
        };
    }
}
