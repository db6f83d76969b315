package dev.todoservice;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package graph points one way (ARCHITECTURE.md): each package may use only the packages below it, so a change
 * to a feature never reaches infrastructure, and infrastructure never knows the features.
 */
@AnalyzeClasses(packages = "dev.todoservice", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String APP = "dev.todoservice";
    /** Every package, lowest first; the root package (Main, the wiring) sits on top of them all. */
    private static final List<String> PACKAGES = List.of("config", "json", "failure", "logging", "db", "auth", "web",
                                                         "users", "todos");

    @ArchTest
    static final ArchRule NO_CYCLES = slices().matching(APP + ".(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule REPOSITORIES_KNOW_NO_HTTP = noClasses().that().haveSimpleNameEndingWith("Repository")
            .should().dependOnClassesThat()
            .resideInAnyPackage(APP + ".web..", "io.helidon.webserver..", "io.helidon.http..")
            .because("repositories throw domain failures (failure.Failure); web/ErrorHandling maps them to HTTP");

    @ArchTest
    static final ArchRule INFRASTRUCTURE_KNOWS_NO_WEB = noClasses()
            .that().resideInAnyPackage(APP + ".config..", APP + ".json..", APP + ".failure..", APP + ".logging..",
                                       APP + ".db..", APP + ".auth..")
            .should().dependOnClassesThat().resideInAnyPackage(APP + ".web..", "io.helidon.webserver..")
            .because("only web and the features speak HTTP");

    @ArchTest
    static final ArchRule CONFIG_USES_NOTHING_OF_THE_APP = uses("config");

    @ArchTest
    static final ArchRule JSON_USES_NOTHING_OF_THE_APP = uses("json");

    @ArchTest
    static final ArchRule FAILURE_USES_NOTHING_OF_THE_APP = uses("failure");

    @ArchTest
    static final ArchRule LOGGING_USES_CONFIG_AND_JSON = uses("logging", "config", "json");

    @ArchTest
    static final ArchRule DB_USES_CONFIG_AND_FAILURE = uses("db", "config", "failure");

    @ArchTest
    static final ArchRule AUTH_USES_CONFIG_JSON_AND_FAILURE = uses("auth", "config", "json", "failure");

    @ArchTest
    static final ArchRule WEB_KNOWS_NO_FEATURE = uses("web", "config", "json", "failure", "logging", "db");

    @ArchTest
    static final ArchRule USERS_KNOW_NO_TODOS = uses("users", "config", "json", "failure", "db", "auth", "web");

    @ArchTest
    static final ArchRule TODOS_USE_USERS_FOR_THE_CALLER = uses("todos", "config", "json", "failure", "db", "web",
                                                                 "users");

    // The classes of a package may use the listed packages of the app and no other (and never the root: the wiring).
    private static ArchRule uses(String pkg, String... allowed) {
        List<String> forbidden = Stream.concat(
                        PACKAGES.stream().filter(other -> !other.equals(pkg) && !Arrays.asList(allowed).contains(other))
                                .map(other -> APP + "." + other + ".."),
                        Stream.of(APP))
                .toList();
        return noClasses().that().resideInAPackage(APP + "." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because(pkg + " may use only " + (allowed.length == 0 ? "libraries" : String.join(", ", allowed)));
    }
}
