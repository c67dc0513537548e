package dev.ssebridge.bridge.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes (and, for sizes, on their
 * sources): the packages in the order of the data path, each using only those before it, so none can drift into a
 * cycle or reach ahead; reactor-kafka and the Kafka clients inside one package (so that replacing reactor-kafka,
 * discontinued upstream, touches one package); settings that depend on nothing; and no package above 15% of the
 * service's lines (a package that big is usually two ideas).
 */
class PackageStructureTest {

    private static final String ROOT = "dev.ssebridge.bridge";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /**
     * The packages in the order dependencies run along the data path (docs/architecture.md, "Packages"): each may
     * use the packages of earlier groups only, never one of its own group or a later one. A new package has to be
     * placed here.
     */
    static final List<List<String>> ORDER = List.of(
            List.of("config", "lifecycle", "problem", "trace"), // settings, periodic tasks, RFC 9457 bodies, spans
            List.of("channel"),                          // the configured channels
            List.of("cursor"),                           // position vectors and their encoding
            List.of("schema"),                           // Avro, Protobuf, JSON Schema values to JSON
            List.of("frame"),                            // a record decoded once into its SSE bytes
            List.of("where"),                            // ?where= filters on a record's value
            List.of("state"),                            // the latest value per key, snapshots
            List.of("hub"),                              // per channel: position, ring, state, fan-out
            List.of("conflation"),                       // what a slow or rate-limited connection holds back
            List.of("policy"),                           // what records a caller may see, from its token
            List.of("kafka"),                            // tails (which publish to the hub), replays, look-ups
            List.of("start"),                            // where a stream starts, checked against the topics
            List.of("admission", "security", "apidoc"),  // who may connect, and how the API is described
            List.of("connection"),                       // a connection's outbox, position and pipeline
            List.of("request"),                          // what a request asks for; problem responses
            List.of("stream", "history"),                // the HTTP entries
            List.of("status"),                           // status, health, metrics: read everything
            List.of("tools"));                           // command-line helpers beside the service (token minting)

    @Test
    void everyPackageUsesOnlyPackagesBeforeItOnTheDataPath() {
        Map<String, Integer> rank = new TreeMap<>();
        for (int i = 0; i < ORDER.size(); i++) {
            for (String name : ORDER.get(i)) {
                rank.put(name, i);
            }
        }
        Set<String> violations = new TreeSet<>();
        for (JavaClass origin : MAIN) {
            String from = packageOf(origin);
            if (from == null) {
                continue; // the application class, at the root
            }
            assertThat(rank).as("package %s is not placed in ORDER", from).containsKey(from);
            origin.getDirectDependenciesFromSelf().forEach(dependency -> {
                String to = packageOf(dependency.getTargetClass());
                if (to != null && !to.equals(from) && rank.containsKey(to) && rank.get(to) >= rank.get(from)) {
                    violations.add(from + " -> " + to + ": " + dependency.getDescription());
                }
            });
        }
        assertThat(violations).as("dependencies that run against the data path's order").isEmpty();
    }

    @Test
    void noPackageHoldsMoreThanFifteenPercentOfTheService() throws IOException {
        Path sources = Path.of("src/main/java", ROOT.split("\\."));
        Map<String, Long> lines = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = sources.relativize(file.getParent());
                String name = relative.toString().isEmpty() ? "" : relative.getName(0).toString();
                lines.merge(name, lineCount(file), Long::sum);
            }
        }
        long total = lines.values().stream().mapToLong(Long::longValue).sum();
        List<String> tooBig = new ArrayList<>();
        lines.forEach((name, count) -> {
            if (count * 100 > total * 15) {
                tooBig.add(name + ": " + count + " of " + total + " lines");
            }
        });
        assertThat(tooBig).as("packages above 15%% of the service's lines").isEmpty();
    }

    /** The bridge package a class is in ({@code hub} for {@code dev.ssebridge.bridge.hub.X}), or null outside them. */
    private static String packageOf(JavaClass type) {
        String name = type.getPackageName();
        if (!name.startsWith(ROOT + ".")) {
            return null;
        }
        String rest = name.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static long lineCount(Path file) {
        try (Stream<String> content = Files.lines(file)) {
            return content.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The map's packages table names the packages of {@link #ORDER}, in its groups and order: the map is code. */
    @Test
    void theArchitectureMapListsThePackagesInTheirOrder() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "architecture.md"));
        int section = lines.indexOf("## Packages");
        assertThat(section).as("docs/architecture.md has a Packages section").isNotNegative();
        List<List<String>> table = new ArrayList<>();
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("`([a-z]+)`");
        for (String line : lines.subList(section + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            if (line.startsWith("| `")) {
                String first = line.substring(1, line.indexOf('|', 1));
                List<String> group = new ArrayList<>();
                java.util.regex.Matcher m = name.matcher(first);
                while (m.find()) {
                    group.add(m.group(1));
                }
                table.add(group);
            }
        }
        assertThat(table).isEqualTo(ORDER);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.ssebridge.bridge.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void onlyTheKafkaPackageSeesReactorKafkaAndTheKafkaClients() {
        noClasses().that().resideOutsideOfPackage("dev.ssebridge.bridge.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("reactor.kafka..", "org.apache.kafka..")
                .check(MAIN);
    }

    @Test
    void settingsDependOnNoOtherPackageOfTheBridge() {
        noClasses().that().resideInAPackage("dev.ssebridge.bridge.config..")
                .should().dependOnClassesThat(resideInAPackage("dev.ssebridge.bridge..")
                        .and(not(resideInAPackage("dev.ssebridge.bridge.config.."))))
                .orShould().dependOnClassesThat().resideOutsideOfPackages("dev.ssebridge.bridge.config..",
                        "java..", "jakarta..", "org.springframework..")
                .check(MAIN);
    }

    @Test
    void theHubKnowsNoConnectionAndTheKafkaPackageNoHttp() {
        noClasses().that().resideInAPackage("dev.ssebridge.bridge.hub..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ssebridge.bridge.connection..",
                        "dev.ssebridge.bridge.stream..")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.ssebridge.bridge.kafka..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.ssebridge.bridge.connection..",
                        "dev.ssebridge.bridge.stream..", "org.springframework.web..", "org.springframework.http..")
                .check(MAIN);
    }
}
