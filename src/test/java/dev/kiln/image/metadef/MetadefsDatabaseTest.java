package dev.kiln.image.metadef;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metadata definitions on each database Kiln runs on (one subclass each): storage, locks, races. */
abstract class MetadefsDatabaseTest {
  private static final int THREADS = 8;
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Actor ALICE = new Actor("project-a", "alice", false);

  private Database db;
  private MetadefNamespaces namespaces;
  private MetadefContents contents;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    namespaces = new MetadefNamespaces(db, Clock.systemUTC(), IdGenerator.random());
    contents = new MetadefContents(db, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static NamespaceInput input(String name, boolean isPublic, List<MetadefProperty> properties, List<String> tags) {
    return new NamespaceInput(name, null, null, isPublic, false, null, List.of(), List.of(), properties, tags);
  }

  private static List<Object> race(Callable<?> work) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      for (int i = 0; i < THREADS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return work.call();
          } catch (ServiceException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> results = new ArrayList<>();
      for (Future<Object> f : futures) {
        results.add(f.get());
      }
      return results;
    }
  }

  @Test
  void aNamespaceKeepsThePropertyDefinitionsItWasCreatedWith() {
    MetadefProperty cpu =
        new MetadefProperty("hw_cpu", Map.of("title", "CPUs", "type", "integer", "minimum", 1, "enum", List.of(1, 2, 4)));
    namespaces.create(ADMIN, input("ns1", true, List.of(cpu), List.of("fast")));
    MetadefNamespaces.Detail shown = namespaces.show(ALICE, "ns1");
    assertThat(shown.properties()).containsExactly(cpu);
    assertThat(shown.tags()).extracting(MetadefTag::name).containsExactly("fast");
    assertThat(shown.namespace().owner()).isEqualTo("admin-project");
  }

  @Test
  void creatingOneTagFromManyRequestsAtOnceHasOneWinner() throws Exception {
    namespaces.create(ADMIN, input("ns2", true, List.of(), List.of()));
    List<Object> results = race(() -> contents.createTag(ADMIN, "ns2", "same"));
    assertThat(results).filteredOn(MetadefTag.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(contents.tags(ADMIN, "ns2")).hasSize(1);
  }

  @Test
  void creatingOneNamespaceFromManyRequestsAtOnceHasOneWinner() throws Exception {
    List<Object> results = race(() -> namespaces.create(ADMIN, input("ns3", false, List.of(), List.of("t"))));
    assertThat(results).filteredOn(MetadefNamespaces.Detail.class::isInstance).hasSize(1);
    assertThat(results).filteredOn(ServiceException.class::isInstance)
        .allSatisfy(e -> assertThat(((ServiceException) e).kind()).isEqualTo(ServiceException.Kind.CONFLICT));
    assertThat(contents.tags(ADMIN, "ns3")).hasSize(1);
  }

  @Test
  void renamingANamespaceKeepsWhatItHoldsAndFreesTheOldName() {
    namespaces.create(ADMIN, input("old", true, List.of(), List.of("t")));
    contents.createObject(ADMIN, "old", new MetadefObject("o", null, List.of(), Map.of(), null, null));
    namespaces.update(ADMIN, "old", input("new", true, List.of(), List.of()));
    assertThat(contents.objects(ADMIN, "new")).extracting(MetadefObject::name).containsExactly("o");
    assertThat(contents.tags(ADMIN, "new")).extracting(MetadefTag::name).containsExactly("t");
    assertThatThrownBy(() -> namespaces.show(ADMIN, "old"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND));
  }

  @Test
  void aNewResourceTypeNameIsCreatedWhenFirstAssociated() {
    namespaces.create(ADMIN, input("ns4", true, List.of(), List.of()));
    namespaces.associate(ADMIN, "ns4", "OS::Kiln::Thing", "kiln_", null);
    assertThat(namespaces.resourceTypes()).extracting(ResourceType::name).contains("OS::Kiln::Thing", "OS::Glance::Image");
    namespaces.delete(ADMIN, "ns4");
    assertThat(namespaces.resourceTypes()).extracting(ResourceType::name).contains("OS::Kiln::Thing");
  }
}
