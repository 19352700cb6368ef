package dev.kiln;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of DESIGN.md that the compiler cannot check. */
class ArchitectureTest {
  private static final String[] SERVICES = {
    "identity", "compute", "network", "volume", "image", "orchestration"
  };
  private static JavaClasses kiln;

  @BeforeAll
  static void importClasses() {
    kiln =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.kiln");
  }

  @Test
  void eachServiceOwnsItsTables() {
    for (String service : SERVICES) {
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.kiln." + service + "..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.kiln." + service + ".store..")
          .because("another service calls " + service + "'s Java interface, never its store")
          .allowEmptyShould(true)
          .check(kiln);
    }
  }

  @Test
  void apiLayerOnlyTranslatesAndNeverTouchesAStore() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.*.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.kiln.store..", "dev.kiln.*.store..")
        .check(kiln);
  }

  @Test
  void domainAndStoreKnowNothingOfHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.kiln.store..",
            "dev.kiln.tasks..",
            "dev.kiln.common..",
            "dev.kiln.identity",
            "dev.kiln.identity.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.helidon..", "dev.kiln.http..", "com.fasterxml.jackson..")
        .check(kiln);
  }

  @Test
  void plumbingDependsOnNoService() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.kiln.http..", "dev.kiln.store..", "dev.kiln.tasks..", "dev.kiln.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kiln.identity..",
            "dev.kiln.compute..",
            "dev.kiln.network..",
            "dev.kiln.volume..",
            "dev.kiln.image..",
            "dev.kiln.orchestration..")
        .check(kiln);
  }
}
