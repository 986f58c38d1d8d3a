package io.poolmta;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package map, checked on the compiled classes (every dependency, not only imports). Three
 * layers, each using only the ones below it:
 * <ul>
 *   <li>domain: the SES resources and the rules about them, no I/O of their own;</li>
 *   <li>mail machinery: acceptance, the spool, events, SMTP in and out, next hops, the simulator,
 *       the node link between the nodes of a cluster;</li>
 *   <li>adapters: the stores, the HTTP server and the APIs on it, the CLI, the server wiring.</li>
 * </ul>
 * The top-level packages form no cycle, the HTTP server knows nothing of the applications it
 * serves, and the domain uses no database, HTTP, JSON or CLI library. A new top-level package must
 * be placed in one layer here.
 */
@AnalyzeClasses(packages = "io.poolmta", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final List<String> DOMAIN = List.of(
            "common",
            "account",
            "ip",
            "pool",
            "configset",
            "warmup",
            "tag",
            "message",
            "provider",
            "managed",
            "egress",
            "identity");
    private static final List<String> MACHINERY = List.of(
            "sending",
            "template",
            "spool",
            "events",
            "suppression",
            "submission",
            "delivery",
            "nexthop",
            "sim",
            "advisor",
            "reputation",
            "feedback",
            "nodelink");
    private static final List<String> ADAPTERS = List.of("store", "http", "api", "cli", "server", "console", "metrics");

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Domain")
            .definedBy(packages(DOMAIN))
            .layer("Machinery")
            .definedBy(packages(MACHINERY))
            .layer("Adapters")
            .definedBy(packages(ADAPTERS))
            .whereLayer("Adapters")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Machinery")
            .mayOnlyBeAccessedByLayers("Adapters")
            .whereLayer("Domain")
            .mayOnlyBeAccessedByLayers("Machinery", "Adapters");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages =
            slices().matching("io.poolmta.(*)..").namingSlices("$1").should().beFreeOfCycles();

    /** The HTTP server uses nothing of PoolMTA but common: no API, no SES, no wiring. */
    @ArchTest
    static final ArchRule httpKnowsNoApi = noClasses()
            .that()
            .resideInAPackage("io.poolmta.http..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.poolmta..")
                    .and(not(resideInAnyPackage("io.poolmta.http..", "io.poolmta.common.."))));

    @ArchTest
    static final ArchRule domainUsesNoAdapterLibrary = noClasses()
            .that()
            .resideInAnyPackage(packages(DOMAIN))
            .or()
            .resideInAnyPackage("io.poolmta.sending..", "io.poolmta.nexthop..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "java.sql..",
                    "javax.sql..",
                    "com.sun.net..",
                    "java.net.http..",
                    "org.h2..",
                    "org.flywaydb..",
                    "picocli..");

    /** JSON is the adapters' business, except for provider, which reads its bundled providers.json. */
    @ArchTest
    static final ArchRule domainReadsNoJson = noClasses()
            .that()
            .resideInAnyPackage(packages(DOMAIN))
            .or()
            .resideInAnyPackage("io.poolmta.sending..", "io.poolmta.nexthop..")
            .and()
            .resideOutsideOfPackage("io.poolmta.provider..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("com.fasterxml..");

    @ArchTest
    static void everyTopLevelPackageHasALayer(JavaClasses classes) {
        Set<String> known = new TreeSet<>(DOMAIN);
        known.addAll(MACHINERY);
        known.addAll(ADAPTERS);
        Set<String> unplaced = new TreeSet<>();
        for (String pkg : packagesOf(classes)) {
            String rest = pkg.equals("io.poolmta") ? "" : pkg.substring("io.poolmta.".length());
            String top = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
            if (!top.isEmpty() && !known.contains(top)) {
                unplaced.add(top);
            }
        }
        assertThat(unplaced)
                .as("top-level packages missing from ArchitectureTest's layer lists")
                .isEmpty();
    }

    @ArchTest
    static void everyPackageSaysItsJob(JavaClasses classes) {
        Path main = Path.of("src/main/java");
        assertThat(packagesOf(classes))
                .isNotEmpty()
                .allSatisfy(
                        pkg -> assertThat(main.resolve(pkg.replace('.', '/')).resolve("package-info.java"))
                                .exists());
    }

    private static Set<String> packagesOf(JavaClasses classes) {
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) {
            packages.add(c.getPackageName());
        }
        return packages;
    }

    private static String[] packages(List<String> names) {
        return names.stream().map(name -> "io.poolmta." + name + "..").toArray(String[]::new);
    }
}
