package io.alignloss;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure of the main code (tests may import anything): no cycles between the top-level packages
 * under {@code io.alignloss}, imports only in the allowed direction of {@code docs/architecture.md}, and
 * {@code optim} free of Spark. A subpackage counts as its top-level package
 * ({@code io.alignloss.objective.bradleyterry} is {@code objective}).
 */
@AnalyzeClasses(packages = "io.alignloss", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {
    /**
     * The allowed direction, top to bottom: a package may import the packages of the tiers below its own, never
     * one of its own tier or above. {@code synth} is outside the tiers: only {@code cli} and {@code bench} import it.
     * Keep in step with the table in docs/architecture.md.
     */
    static final List<List<String>> TIERS = List.of(
            List.of("cli"),
            List.of("bench"),
            List.of("ml"),
            List.of("job", "leaderboard", "compare"),
            List.of("diagnostics", "report", "train"),
            List.of("objective"),
            List.of("model", "lm"),
            List.of("data", "optim", "stats", "text", "output"),
            List.of("summary"),
            List.of("config"),
            List.of("error"));
    static final String SYNTH = "synth";

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("io.alignloss.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule importsPointDownTheTiers = tiers();

    @ArchTest
    static final ArchRule everyPackageHasATier = classes().that().resideInAPackage("io.alignloss..")
            .should().resideInAnyPackage(allPackages().stream().map(name -> "io.alignloss." + name + "..").toArray(String[]::new))
            .because("a new top-level package needs its place in TIERS and in docs/architecture.md");

    @ArchTest
    static final ArchRule optimIsFreeOfSpark = noClasses().that().resideInAPackage("io.alignloss.optim")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..", "io.alignloss.optim.spark..")
            .because("the optimisers see only a loss function and vectors, so they can be tested and reused without Spark; "
                    + "optim.spark (DistributedLoss) is the one adapter that runs a loss on Spark");

    private static LayeredArchitecture tiers() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : allPackages()) {
            layers = layers.layer(name).definedBy("io.alignloss." + name + "..");
        }
        List<String> above = new ArrayList<>();
        for (List<String> tier : TIERS) {
            for (String name : tier) {
                layers = above.isEmpty()
                        ? layers.whereLayer(name).mayNotBeAccessedByAnyLayer()
                        : layers.whereLayer(name).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
            above.addAll(tier);
        }
        return layers.whereLayer(SYNTH).mayOnlyBeAccessedByLayers("cli", "bench");
    }

    private static List<String> allPackages() {
        List<String> names = new ArrayList<>();
        TIERS.forEach(names::addAll);
        names.add(SYNTH);
        return names;
    }
}
