package dev.kiln.compute.servers.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.store.Database;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging a server's actions in SQL, on each database Kiln runs on (one subclass each). */
abstract class InstanceActionStoreTest {
  private static final String SERVER = "11111111-2222-4333-8444-555555555555";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Database db;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    InstanceActionStore store = new InstanceActionStore(db.sql());
    // Two actions share a start time: the request id orders them, so paging neither skips nor repeats.
    store.insert(SERVER, "req-a", "create", "p1", "u1", T0);
    store.insert(SERVER, "req-b", "lock", "p1", "u1", T0.plusSeconds(1));
    store.insert(SERVER, "req-c", "unlock", "p1", "u1", T0.plusSeconds(1));
    store.insert(SERVER, "req-d", "stop", "p1", "u1", T0.plusSeconds(2));
    store.insert("other-server", "req-x", "create", "p2", "u2", T0.plusSeconds(5));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private static List<String> ids(List<InstanceAction> actions) {
    return actions.stream().map(InstanceAction::requestId).toList();
  }

  @Test
  void pagesNewestFirstThroughTiesWithoutSkippingOrRepeating() {
    InstanceActionStore store = new InstanceActionStore(db.sql());
    assertThat(ids(store.list(SERVER))).containsExactly("req-d", "req-c", "req-b", "req-a");
    List<String> walked = new ArrayList<>();
    InstanceAction after = null;
    while (true) {
      List<InstanceAction> page = store.list(SERVER, after, null, null, 1);
      if (page.isEmpty()) {
        break;
      }
      walked.addAll(ids(page));
      after = page.getLast();
    }
    assertThat(walked).containsExactly("req-d", "req-c", "req-b", "req-a");
  }

  @Test
  void filtersByUpdateTimeBothWays() {
    InstanceActionStore store = new InstanceActionStore(db.sql());
    assertThat(ids(store.list(SERVER, null, T0.plusSeconds(1), null, null))).containsExactly("req-d", "req-c", "req-b");
    assertThat(ids(store.list(SERVER, null, null, T0.plusSeconds(1), null))).containsExactly("req-c", "req-b", "req-a");
    assertThat(ids(store.list(SERVER, null, T0.plusSeconds(1), T0.plusSeconds(1), 10))).containsExactly("req-c", "req-b");
  }

  @Test
  void theProjectOfAServersActionsOutlivesTheServer() {
    InstanceActionStore store = new InstanceActionStore(db.sql());
    assertThat(store.projectOf(SERVER)).contains("p1");
    assertThat(store.projectOf("never-existed")).isEmpty();
  }
}
