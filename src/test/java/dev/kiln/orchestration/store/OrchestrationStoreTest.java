package dev.kiln.orchestration.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackQuery;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The orchestration tables' conditional writes and queries, on each database (one subclass each). */
abstract class OrchestrationStoreTest {
  private Database db;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);

  protected abstract Database open();

  @BeforeEach
  void setUp() {
    db = open();
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private StackRow stack(String name, String project, Instant created, List<String> tags) {
    String templateId = UUID.randomUUID().toString();
    new TemplateStore(db.sql()).insert(new TemplateRow(templateId, JsonColumns.object(), Map.of(), null, List.of(), created));
    String id = UUID.randomUUID().toString();
    StackRow row = new StackRow(id, name, project, "user", false, StackAction.CREATE, StackStatus.COMPLETE, "done",
        "t-1", created, templateId, null, "", JsonColumns.object(), JsonColumns.object(), null, false, tags, null,
        null, null, id, 0, created, null, null);
    new StackStore(db.sql()).insert(row);
    return row;
  }

  private StackQuery query(Integer limit, String marker, List<String> tags, List<String> sortKeys, String dir) {
    return new StackQuery(Map.of(), tags, List.of(), List.of(), List.of(), sortKeys, dir, limit, marker, false,
        false, false, false);
  }

  @Test
  void beginIsTheStackLockAndFencesOutTheOldTraversal() {
    StackRow s = stack("locked", "p", t0, List.of());
    StackStore stacks = new StackStore(db.sql());

    assertThat(stacks.begin(s.id(), StackAction.DELETE, "Stack DELETE started", "t-2", t0)).isTrue();
    assertThat(stacks.begin(s.id(), StackAction.CHECK, "Stack CHECK started", "t-3", t0)).isFalse();
    assertThat((boolean) db.inTransaction(sql -> new StackStore(sql).fence(s.id(), "t-1"))).isFalse();
    assertThat((boolean) db.inTransaction(sql -> new StackStore(sql).fence(s.id(), "t-2"))).isTrue();
    assertThat(stacks.state(s.id(), "t-1", StackAction.DELETE, StackStatus.COMPLETE, "x", t0, true)).isFalse();
    assertThat(stacks.state(s.id(), "t-2", StackAction.DELETE, StackStatus.COMPLETE, "x", t0, true)).isTrue();
    assertThat(stacks.find(s.id()).orElseThrow().deleted()).isTrue();
    stack("locked", "p", t0, List.of()); // the name is free again
  }

  @Test
  void aLiveNameIsUniquePerProject() {
    stack("twin", "p", t0, List.of());
    stack("twin", "q", t0, List.of());
    assertThatThrownBy(() -> stack("twin", "p", t0, List.of()))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.DUPLICATE));
  }

  @Test
  void listsPageAfterTheMarkerInEitherOrderAndFilterByTags() {
    List<StackRow> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(stack("s" + i, "p", t0.plusSeconds(i), i % 2 == 0 ? List.of("even") : List.of()));
    }
    stack("hidden", "p", t0, List.of("data-processing-cluster"));
    stack("other", "q", t0, List.of());
    StackStore stacks = new StackStore(db.sql());

    List<String> newest = names(stacks.list(new StackListing(query(2, null, List.of(), List.of(), null), "p", null)));
    List<String> next = names(stacks.list(new StackListing(query(2, made.get(3).id(), List.of(), List.of(), null), "p", made.get(3))));
    List<String> byName = names(stacks.list(new StackListing(query(null, null, List.of(), List.of("stack_name"), "asc"), "p", null)));
    List<String> even = names(stacks.list(new StackListing(query(null, null, List.of("even"), List.of(), null), "p", null)));

    assertThat(newest).containsExactly("s4", "s3");
    assertThat(next).containsExactly("s2", "s1");
    assertThat(byName).containsExactly("s0", "s1", "s2", "s3", "s4");
    assertThat(even).containsExactly("s4", "s2", "s0");
    assertThat(stacks.count(new StackListing(query(null, null, List.of(), List.of(), null), "p", null))).isEqualTo(5);
  }

  @Test
  void resourcesAndEventsAreWrittenInBatchesAndEventsKeepTheirOrder() {
    StackRow s = stack("batched", "p", t0, List.of());
    List<ResourceRow> rows = new ArrayList<>();
    List<EventRow> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ObjectNode data = JsonColumns.object().put("n", i);
      rows.add(new ResourceRow(UUID.randomUUID().toString(), s.id(), "r" + i, 0, true, s.templateId(), "OS::Heat::None",
          StackAction.INIT, StackStatus.COMPLETE, "", null, List.of(), null, data, null, "DELETE", null, null, null,
          null, "", t0, null));
      events.add(new EventRow(0, UUID.randomUUID().toString(), s.id(), s.id(), "r" + i, null, "OS::Heat::None",
          StackAction.CREATE, StackStatus.COMPLETE, "state changed", null, t0));
    }
    db.inTransaction(sql -> {
      new ResourceStore(sql).insertAll(rows);
      new EventStore(sql).insertAll(events);
      return null;
    });
    new ResourceStore(db.sql()).updateAll(List.of(rows.get(7).withState(StackAction.CREATE, StackStatus.COMPLETE, "ok", t0)));
    new ResourceStore(db.sql()).setHook(rows.get(8).id(), "pre-create");

    assertThat(new ResourceStore(db.sql()).current(s.id())).hasSize(50);
    assertThat(new ResourceStore(db.sql()).current(s.id(), "r7").orElseThrow().state()).isEqualTo("CREATE_COMPLETE");
    assertThat(new ResourceStore(db.sql()).clearHook(rows.get(8).id(), "pre-delete")).isFalse();
    assertThat(new ResourceStore(db.sql()).clearHook(rows.get(8).id(), "pre-create")).isTrue();
    assertThat(new EventStore(db.sql()).of(List.of(s.id()), null)).extracting(EventRow::resourceName)
        .containsExactlyElementsOf(events.stream().map(EventRow::resourceName).toList());
  }

  private static List<String> names(List<StackRow> rows) {
    return rows.stream().map(StackRow::name).toList();
  }

  static class OnH2 extends OrchestrationStoreTest {
    @Override
    protected Database open() {
      return Database.inMemory("heat-store-" + UUID.randomUUID());
    }
  }

  static class OnPostgres extends OrchestrationStoreTest {
    @Override
    protected Database open() {
      return dev.kiln.store.TestPostgres.newDatabase();
    }
  }
}
