package dev.kiln.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The volume type service on each database Kiln runs on (one subclass each): the default type,
 * lookups for the volume service, the races unique names and row locks settle, and types in use.
 */
abstract class VolumeTypesDatabaseTest {
  private static final int THREADS = 8;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor ALICE = new Actor("project-a", "alice", false);

  private Database db;
  private final Set<String> typesInUse = ConcurrentHashMap.newKeySet();
  private VolumeTypes types;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    types = new VolumeTypes(db, Clock.systemUTC(), IdGenerator.random(), typesInUse::contains);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private VolumeType create(String name, Map<String, String> specs) {
    return types.create(ADMIN, new VolumeTypes.Spec(name, null, true, specs));
  }

  private static <T> List<Object> race(Callable<T> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return work.call();
                  } catch (ServiceException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    }
  }

  @Test
  void defaultTypeExistsFromTheStartAndResolvesByNameOrId() {
    VolumeType standard = types.defaultType();
    assertThat(standard.name()).isEqualTo("__DEFAULT__");
    assertThat(standard.id()).isEqualTo(VolumeTypes.DEFAULT_TYPE_ID);
    assertThat(types.resolve("__DEFAULT__")).isEqualTo(standard);
    assertThat(types.resolve(standard.id())).isEqualTo(standard);
    assertThat(types.find("nope")).isEmpty();
    assertThatThrownBy(() -> types.resolve("gold"))
        .isInstanceOf(ServiceException.class)
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.NOT_FOUND)
        .hasFieldOrPropertyWithValue("type", "VolumeTypeNotFound")
        .hasMessage("Volume type with name or id gold could not be found.");
    assertThatThrownBy(() -> types.delete(ADMIN, standard.id()))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID);
  }

  @Test
  void privateTypesResolveOnlyForAdmins() {
    VolumeType hidden = types.create(ADMIN, new VolumeTypes.Spec("hidden", "x", false, Map.of()));
    assertThat(types.resolve(ADMIN, "hidden")).isEqualTo(hidden);
    assertThatThrownBy(() -> types.resolve(ALICE, "hidden"))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.NOT_FOUND);
    assertThat(types.list(ALICE, null, List.of())).extracting(VolumeType::name).doesNotContain("hidden");
  }

  @Test
  void multiattachFollowsCindersSpecSyntax() {
    assertThat(create("ma", Map.of("multiattach", "<is> True")).multiattach()).isTrue();
    assertThat(create("ma-plain", Map.of("multiattach", "True")).multiattach()).isTrue();
    assertThat(create("ma-lower", Map.of("multiattach", "true")).multiattach()).isTrue();
    assertThat(create("ma-off", Map.of("multiattach", "<is> False")).multiattach()).isFalse();
    assertThat(types.defaultType().multiattach()).isFalse();
    assertThat(types.resolve("ma").multiattach()).isTrue();
  }

  @Test
  void concurrentCreatesOfOneNameMakeOneType() throws Exception {
    List<Object> outcomes = race(() -> create("racy", Map.of("k", "v")));

    assertThat(outcomes).filteredOn(VolumeType.class::isInstance).hasSize(1);
    assertThat(outcomes)
        .filteredOn(ServiceException.class::isInstance)
        .hasSize(THREADS - 1)
        .allSatisfy(e -> assertThat(((ServiceException) e).type()).isEqualTo("VolumeTypeExists"));
    assertThat(types.resolve("racy").extraSpecs()).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void concurrentExtraSpecWritesAllLand() throws Exception {
    VolumeType type = create("busy", Map.of());
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    List<Object> outcomes =
        race(
            () -> {
              int i = n.getAndIncrement();
              return types.setExtraSpecs(ADMIN, type.id(), Map.of("shared", "x", "own-" + i, "v" + i));
            });

    assertThat(outcomes).noneMatch(ServiceException.class::isInstance);
    Map<String, String> specs = types.resolve("busy").extraSpecs();
    assertThat(specs).hasSize(THREADS + 1).containsEntry("shared", "x");
  }

  @Test
  void aTypeInUseCanNeitherBeDeletedNorChanged() {
    VolumeType type = create("used", Map.of("a", "1"));
    typesInUse.add(type.id());
    assertThatThrownBy(() -> types.delete(ADMIN, type.id()))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID)
        .hasFieldOrPropertyWithValue("type", "VolumeTypeInUse")
        .hasMessage("Target volume type is still in use.");
    assertThatThrownBy(() -> types.setExtraSpecs(ADMIN, type.id(), Map.of("b", "2")))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID)
        .hasMessage("Volume Type is currently in use.");
    assertThatThrownBy(() -> types.deleteExtraSpec(ADMIN, type.id(), "a"))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.INVALID);
    // Renaming is allowed, as in Cinder.
    assertThat(types.update(ADMIN, type.id(), new VolumeTypes.Changes("still-used", null, null)).name())
        .isEqualTo("still-used");

    typesInUse.remove(type.id());
    types.delete(ADMIN, type.id());
    assertThat(types.find(type.id())).isEmpty();
  }

  @Test
  void renamingOntoATakenNameIsAConflict() {
    VolumeType a = create("a", Map.of());
    create("b", Map.of());
    assertThatThrownBy(() -> types.update(ADMIN, a.id(), new VolumeTypes.Changes("b", null, null)))
        .hasFieldOrPropertyWithValue("kind", ServiceException.Kind.CONFLICT)
        .hasMessage("Volume Type b already exists.");
    assertThat(types.find(a.id()).orElseThrow().name()).isEqualTo("a");
  }
}
