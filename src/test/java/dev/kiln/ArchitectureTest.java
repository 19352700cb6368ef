package dev.kiln;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of DESIGN.md that the compiler cannot check. */
class ArchitectureTest {
  private static final String[] SERVICES = {
    "identity", "compute", "network", "volume", "image", "orchestration", "objectstore"
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
          .resideInAPackage("dev.kiln." + service + "..store..")
          .because("another service calls " + service + "'s Java interface, never its store")
          .allowEmptyShould(true)
          .check(kiln);
    }
  }

  @Test
  void apiLayerOnlyTranslatesAndNeverTouchesAStore() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln..api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.kiln.store..", "dev.kiln..store..")
        .check(kiln);
  }

  /**
   * Compute's rooms (fleet, catalog, quotas, groups, servers, events, actions, moves, attach,
   * metadata, api, and the facade records in the package itself) depend on each other in one
   * direction only: a room and its store form one slice.
   */
  @Test
  void computeRoomsHaveNoCycles() {
    SlicesRuleDefinition.slices()
        .assignedFrom(new ComputeRooms())
        .should()
        .beFreeOfCycles()
        .check(kiln);
  }

  @Test
  void computeRoomsBelowTheFacadeDoNotReachUpToIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.compute.*..")
        .and()
        .resideOutsideOfPackage("dev.kiln.compute.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.kiln.compute")
        .because("ComputeService and ServerServices wire the rooms; the rooms take the parts they need")
        .check(kiln);
  }

  /**
   * A service reaches another only through that service's facade ({@code NetworkService},
   * {@code VolumeService}, {@code ImageService}, {@code ComputeService} and {@code
   * ServerServices}) and the types its public operations take and give, never through helpers
   * the facade does not hand out (Networking's address arithmetic, say). The launcher and the
   * CLI, which wire and drive services, are not services.
   */
  @Test
  void servicesReachEachOtherOnlyThroughTheirFacades() {
    Map<String, Set<String>> facades =
        Map.of(
            "compute", Set.of("dev.kiln.compute.ComputeService", "dev.kiln.compute.ServerServices"),
            "network", Set.of("dev.kiln.network.NetworkService"),
            "volume", Set.of("dev.kiln.volume.VolumeService"),
            "image", Set.of("dev.kiln.image.ImageService"),
            "objectstore", Set.of("dev.kiln.objectstore.ObjectStoreService"));
    facades.forEach(
        (service, roots) -> {
          Set<String> surface = surface(service, roots);
          assertThat(surface).as(service + "'s surface").isNotEmpty();
          classes()
              .that()
              .resideInAnyPackage(otherServices(service))
              .should(reachOnly(service, surface))
              .allowEmptyShould(true)
              .check(kiln);
        });
  }

  @Test
  void networkAddressArithmeticIsNotPartOfNetworkingsSurface() {
    Set<String> surface = surface("network", Set.of("dev.kiln.network.NetworkService"));
    assertThat(surface).contains("dev.kiln.network.Ports", "dev.kiln.network.Subnet");
    assertThat(surface).doesNotContain("dev.kiln.network.IpAddresses", "dev.kiln.network.IpNetwork");
  }

  /** Slices by compute room; the records in dev.kiln.compute itself are the "facade" slice. */
  private static final class ComputeRooms implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (pkg.equals("dev.kiln.compute")) {
        return SliceIdentifier.of("facade");
      }
      if (pkg.startsWith("dev.kiln.compute.")) {
        return SliceIdentifier.of(pkg.substring("dev.kiln.compute.".length()).split("\\.")[0]);
      }
      return SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "compute rooms";
    }
  }

  private static String[] otherServices(String service) {
    return java.util.Arrays.stream(SERVICES).filter(s -> !s.equals(service)).map(s -> "dev.kiln." + s + "..").toArray(String[]::new);
  }

  private static boolean inDomain(String service, JavaClass c) {
    String pkg = c.getPackageName();
    return (pkg.equals("dev.kiln." + service) || pkg.startsWith("dev.kiln." + service + "."))
        && !pkg.contains(".api")
        && !pkg.contains(".store");
  }

  /**
   * The classes of a service another may use: its facades, then every public type their public
   * fields, record components, constructors and methods take or give (with generic arguments),
   * the enclosing and nested types of those, and so on.
   */
  private static Set<String> surface(String service, Set<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<JavaClass> todo = new ArrayDeque<>();
    for (String root : roots) {
      todo.add(kiln.get(root));
    }
    while (!todo.isEmpty()) {
      JavaClass c = todo.poll();
      if (!inDomain(service, c) || !seen.add(c.getName())) {
        continue;
      }
      Set<JavaClass> next = new HashSet<>(c.getEnclosingClass().stream().toList());
      for (JavaClass k : kiln) {
        if (k.getName().startsWith(c.getName() + "$")) {
          next.add(k);
        }
      }
      for (JavaField f : c.getFields()) {
        if (f.getModifiers().contains(JavaModifier.PUBLIC) || c.isRecord()) {
          next.addAll(f.getType().getAllInvolvedRawTypes());
        }
      }
      for (JavaCodeUnit u : c.getCodeUnits()) {
        if (u.getModifiers().contains(JavaModifier.PUBLIC)) {
          next.addAll(u.getReturnType().getAllInvolvedRawTypes());
          u.getParameterTypes().forEach(t -> next.addAll(t.getAllInvolvedRawTypes()));
          u.getExceptionTypes().forEach(next::add);
        }
      }
      for (JavaClass n : next) {
        JavaClass base = n.isArray() ? n.getBaseComponentType() : n;
        if (base.getModifiers().contains(JavaModifier.PUBLIC) && kiln.contain(base.getName())) {
          todo.add(kiln.get(base.getName()));
        }
      }
    }
    return seen;
  }

  private static ArchCondition<JavaClass> reachOnly(String service, Set<String> surface) {
    return new ArchCondition<>("reach " + service + " only through its facade's surface") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (Dependency d : c.getDirectDependenciesFromSelf()) {
          JavaClass target = d.getTargetClass().isArray() ? d.getTargetClass().getBaseComponentType() : d.getTargetClass();
          if (inDomain(service, target) && !surface.contains(target.getName())) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  @Test
  void domainAndStoreKnowNothingOfHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.kiln.store..",
            "dev.kiln.tasks..",
            "dev.kiln.common..",
            "dev.kiln.quota..",
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
        .resideInAnyPackage(
            "dev.kiln.http..", "dev.kiln.store..", "dev.kiln.tasks..", "dev.kiln.common..", "dev.kiln.quota..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kiln.identity..",
            "dev.kiln.compute..",
            "dev.kiln.network..",
            "dev.kiln.volume..",
            "dev.kiln.image..",
            "dev.kiln.orchestration..",
            "dev.kiln.objectstore..")
        .check(kiln);
  }

  /**
   * Kiln's in-instance agent is a guest: like os-collect-config in a real server it reaches the
   * cloud over the public HTTP APIs only, and no service knows it (the launcher wires it to
   * Compute's lifecycle observer).
   */
  @Test
  void theGuestAgentIsAClientOfThePublicApisOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.kiln.guest..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.kiln.identity..", "dev.kiln.compute..", "dev.kiln.network..", "dev.kiln.volume..",
            "dev.kiln.image..", "dev.kiln.orchestration..", "dev.kiln.store..", "dev.kiln.tasks..",
            "dev.kiln.http..", "dev.kiln.quota..", "dev.kiln.common..", "io.helidon..")
        .check(kiln);
    noClasses()
        .that()
        .resideInAnyPackage(otherServices("guest"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.kiln.guest..")
        .check(kiln);
  }
}
