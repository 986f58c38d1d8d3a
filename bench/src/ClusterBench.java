import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of bench/cluster-cpu.sh: from the rows PoolMtaBench measure and verify appended,
 * a markdown table with, per setup (one node on H2, one node on PostgreSQL, three nodes on one
 * PostgreSQL, and the ceiling), the medians of the rate and of the CPU per delivered message of
 * the PoolMTA nodes together and of PostgreSQL, the share of messages handed over between nodes,
 * and the checks. Compiled with PoolMtaBench.java (it uses its median and formats):
 *
 * <pre>
 *   java -cp target/poolmta.jar:DIR ClusterBench --results FILE
 * </pre>
 */
public final class ClusterBench {
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("ceiling", "ceiling: `smtp-source` → `smtp-sink`");
        NAMES.put("h2-1", "one node, embedded H2");
        NAMES.put("pg-1", "one node, PostgreSQL");
        NAMES.put("pg-3", "three nodes, one PostgreSQL");
    }

    public static void main(String[] args) throws Exception {
        PoolMtaBench.Opts o = new PoolMtaBench.Opts(List.of(args));
        Path results = Path.of(o.get("results"));
        Map<String, List<String[]>> rows = read(results);
        Map<String, List<String[]>> checks = read(Path.of(results + ".verify"));
        double h2Rate = Double.NaN;
        double h2Total = Double.NaN;
        StringBuilder t = new StringBuilder();
        t.append("| setup | msg/s (runs) | median msg/s | vs one node on H2 | PoolMTA CPU ms/msg (all nodes)"
                + " | PostgreSQL CPU ms/msg | together | vs one node on H2 | handed over | checks |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String label : NAMES.keySet()) {
            List<String[]> runs = rows.getOrDefault(label, List.of());
            if (runs.isEmpty()) {
                continue;
            }
            List<String> shown = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            List<Double> mta = new ArrayList<>();
            List<Double> db = new ArrayList<>();
            List<Double> total = new ArrayList<>();
            for (String[] f : runs) {
                boolean ok = f[3].equals("ok");
                shown.add(ok ? f[5] : f[3]);
                if (ok) {
                    rates.add(Double.parseDouble(f[5]));
                }
                double perMessage = 1000.0 / Integer.parseInt(f[2]);
                double m = f[9].equals("-") ? Double.NaN : Double.parseDouble(f[9]) * perMessage;
                double d = f.length > 13 && !f[13].equals("-") ? Double.parseDouble(f[13]) * perMessage : Double.NaN;
                if (!Double.isNaN(m)) {
                    mta.add(m);
                }
                if (!Double.isNaN(d)) {
                    db.add(d);
                }
                if (!Double.isNaN(m)) { // on H2 PostgreSQL only idles for the other setups: not this one's
                    total.add(m + (Double.isNaN(d) || label.equals("h2-1") ? 0 : d));
                }
            }
            double rate = PoolMtaBench.median(rates);
            double together = PoolMtaBench.median(total);
            boolean ceiling = label.equals("ceiling");
            if (label.equals("h2-1")) {
                h2Rate = rate;
                h2Total = together;
            }
            int checked = 0;
            int good = 0;
            long handed = 0;
            long messages = 0;
            for (String[] c : checks.getOrDefault(label, List.of())) {
                checked++;
                boolean once = c[2].equals("0") && (c.length < 4 || c[3].equals("0"));
                good += c[1].equals("pools OK") && once ? 1 : 0;
                if (c.length > 5) {
                    handed += Long.parseLong(c[4]);
                    messages += Long.parseLong(c[5]);
                }
            }
            t.append("| ")
                    .append(NAMES.get(label))
                    .append(" | ")
                    .append(String.join(", ", shown))
                    .append(" | **")
                    .append(PoolMtaBench.fmt(rate))
                    .append("** | ")
                    .append(ceiling ? "–" : PoolMtaBench.fmt(rate / h2Rate))
                    .append(" | ")
                    .append(mta.isEmpty() ? "–" : PoolMtaBench.fmt3(PoolMtaBench.median(mta)))
                    .append(" | ")
                    .append(
                            db.isEmpty() || ceiling || label.equals("h2-1")
                                    ? "–"
                                    : PoolMtaBench.fmt3(PoolMtaBench.median(db)))
                    .append(" | ")
                    .append(ceiling ? "–" : "**" + PoolMtaBench.fmt3(together) + "**")
                    .append(" | ")
                    .append(ceiling ? "–" : PoolMtaBench.fmt(together / h2Total) + "×")
                    .append(" | ")
                    .append(
                            messages == 0
                                    ? "–"
                                    : String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * handed / messages))
                    .append(" | ")
                    .append(ceiling ? "–" : good + " of " + checked + " runs OK")
                    .append(" |\n");
        }
        System.out.print(t);
    }

    private static Map<String, List<String[]>> read(Path file) throws Exception {
        Map<String, List<String[]>> byLabel = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return byLabel;
        }
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                byLabel.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
            }
        }
        return byLabel;
    }
}
