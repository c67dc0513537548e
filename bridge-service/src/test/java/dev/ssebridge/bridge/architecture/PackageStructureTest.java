package dev.ssebridge.bridge.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package structure of docs/architecture.md, checked on the compiled main classes: packages along the
 * event's path with no cycle between them, reactor-kafka and the Kafka clients inside one package (so that
 * replacing reactor-kafka, discontinued upstream, touches one package), and settings that depend on nothing.
 */
class PackageStructureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.ssebridge.bridge");

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
