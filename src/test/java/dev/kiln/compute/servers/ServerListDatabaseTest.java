package dev.kiln.compute.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.ComputeService;
import dev.kiln.compute.TestVolumes;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.servers.Server.FlavorSnapshot;
import dev.kiln.compute.servers.Server.PluggedPort;
import dev.kiln.compute.servers.store.ServerStore.Cursor;
import dev.kiln.compute.servers.store.ServerStore.ListFilter;
import dev.kiln.compute.servers.store.ServerStore;
import dev.kiln.image.ImageService;
import dev.kiln.network.NetworkService;
import dev.kiln.store.Database;
import dev.kiln.tasks.TaskRunner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server list on each database Kiln runs on (one subclass each): keyset pages in the order
 * (created_at DESC, id DESC) that see every server once, ties within an instant included; the
 * filters SQL applies; a page's metadata and ports loaded together; and the name regex applied
 * over as many chunks as it takes to fill a page.
 */
abstract class ServerListDatabaseTest {
  private static final Actor ALICE = new Actor("project-a", "alice", false);
  private static final Actor BOB = new Actor("project-b", "bob", false);
  private static final Actor ADMIN = new Actor("admin-project", "admin", true);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FlavorSnapshot TINY = new FlavorSnapshot("1", "m1.tiny", 1, 512, 1, 0, 0, Map.of());
  private static final FlavorSnapshot SMALL = new FlavorSnapshot("2", "m1.small", 1, 2048, 20, 0, 0, Map.of());

  @TempDir Path dataDir;
  private Database db;
  private TaskRunner tasks;
  private Servers servers;
  private ServerStore store;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    Clock clock = Clock.systemUTC();
    IdGenerator ids = IdGenerator.random();
    tasks = new TaskRunner(db, clock, ids, "test-node"); // never started: nothing is built here
    ComputeService compute =
        ComputeService.start(db, clock, ids, new SecureRandom(), FleetConfig.defaults(List.of("kiln-compute-1")));
    NetworkService network = NetworkService.create(db, clock, ids, new SecureRandom(), compute.fleet());
    ImageService image = ImageService.create(db, clock, ids, dataDir);
    servers = new Servers(db, clock, ids, compute.fleet(), compute.driver(), compute.flavors(), compute.keypairs(), compute.quotas(), network, image, TestVolumes.create(db, clock, ids, tasks), tasks);
    store = new ServerStore(db.sql());
  }

  @AfterEach
  void tearDown() {
    tasks.close();
    db.close();
  }

  /** Inserts a server as its row would be after a build, created {@code second}s after T0. */
  private Server insert(String project, String name, long second, String status, String host, FlavorSnapshot flavor) {
    Instant created = T0.plusSeconds(second);
    Server s =
        new Server(
            UUID.randomUUID().toString(), project, "u", name, null, status, null, status.toLowerCase(), 1, host, "nova",
            flavor, "image-1", null, null, created, created, created, false, null, null, Map.of(), List.of(), "r-0", 0);
    store.insert(s);
    return s;
  }

  private static List<String> ids(List<Server> servers) {
    return servers.stream().map(Server::id).toList();
  }

  /** Newest first; within one instant, the greater id first. */
  private static List<String> listOrder(List<Server> servers) {
    return ids(
        servers.stream()
            .sorted(Comparator.comparing(Server::createdAt).thenComparing(Server::id).reversed())
            .toList());
  }

  @Test
  void keysetPagesSeeEveryServerOnceNewestFirstEvenWhenManyShareAnInstant() {
    List<Server> all = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      all.add(insert("project-a", "vm-" + i, i / 4, "ACTIVE", "kiln-compute-1", TINY)); // four per second
    }
    ListFilter filter = new ListFilter("project-a", null, null, null, null, null);
    List<String> walked = new ArrayList<>();
    Cursor after = null;
    while (true) {
      List<Server> page = store.page(filter, after, 5);
      walked.addAll(ids(page));
      if (page.size() < 5) {
        break;
      }
      after = Cursor.of(page.getLast());
    }
    assertThat(walked).containsExactlyElementsOf(listOrder(all));
  }

  @Test
  void filtersOnProjectStatusHostImageFlavorAndChangesSinceAreApplied() {
    Server a1 = insert("project-a", "a1", 1, "ACTIVE", "kiln-compute-1", TINY);
    Server a2 = insert("project-a", "a2", 2, "SHUTOFF", "kiln-compute-2", SMALL);
    Server a3 = insert("project-a", "a3", 3, "ACTIVE", "kiln-compute-2", TINY);
    Server b1 = insert("project-b", "b1", 4, "ACTIVE", "kiln-compute-1", TINY);

    assertThat(ids(store.page(new ListFilter("project-a", null, null, null, null, null), null, 100)))
        .containsExactly(a3.id(), a2.id(), a1.id());
    assertThat(ids(store.page(new ListFilter(null, "ACTIVE", null, null, null, null), null, 100)))
        .containsExactly(b1.id(), a3.id(), a1.id());
    assertThat(ids(store.page(new ListFilter(null, null, "kiln-compute-2", null, null, null), null, 100)))
        .containsExactly(a3.id(), a2.id());
    assertThat(ids(store.page(new ListFilter("project-a", null, null, null, null, "2"), null, 100)))
        .containsExactly(a2.id());
    assertThat(ids(store.page(new ListFilter(null, null, null, null, "image-1", null), null, 100))).hasSize(4);
    assertThat(ids(store.page(new ListFilter(null, null, null, null, "image-2", null), null, 100))).isEmpty();
    assertThat(ids(store.page(new ListFilter(null, null, null, T0.plusSeconds(3), null, null), null, 100)))
        .containsExactly(b1.id(), a3.id());
  }

  @Test
  void aPageComesWithItsMetadataAndPortsInBootOrder() {
    Server bare = insert("project-a", "bare", 1, "ACTIVE", "kiln-compute-1", TINY);
    Server rich = insert("project-a", "rich", 2, "ACTIVE", "kiln-compute-1", TINY);
    store.replaceMetadata(rich.id(), Map.of("role", "db", "tier", "gold"));
    store.addPort(rich.id(), new PluggedPort("port-second", true), 1);
    store.addPort(rich.id(), new PluggedPort("port-first", false), 0);

    List<Server> page = store.complete(store.page(new ListFilter("project-a", null, null, null, null, null), null, 10));

    assertThat(ids(page)).containsExactly(rich.id(), bare.id());
    assertThat(page.getFirst().metadata()).isEqualTo(Map.of("role", "db", "tier", "gold"));
    assertThat(page.getFirst().ports())
        .containsExactly(new PluggedPort("port-first", false), new PluggedPort("port-second", true));
    assertThat(page.getLast().metadata()).isEmpty();
    assertThat(page.getLast().ports()).isEmpty();
  }

  @Test
  void theNameRegexFillsPagesFromManyChunksAndMarkersContinueAfterTheLastShown() {
    List<Server> matching = new ArrayList<>();
    for (int i = 0; i < 1_300; i++) {
      // One in a hundred matches: a page of 5 needs more than one chunk of rows.
      Server s = insert("project-a", (i % 100 == 7 ? "web-" : "db-") + i, i, "ACTIVE", "kiln-compute-1", TINY);
      if (i % 100 == 7) {
        matching.add(s);
      }
    }
    Servers.Query query = new Servers.Query(false, "^web-", null, null, null);
    List<String> walked = new ArrayList<>();
    String marker = null;
    int pages = 0;
    do {
      Servers.Page page = servers.list(ALICE, query, 5, marker);
      walked.addAll(ids(page.servers()));
      marker = page.nextMarker();
      pages++;
    } while (marker != null);

    assertThat(walked).containsExactlyElementsOf(listOrder(matching));
    assertThat(pages).isEqualTo(3); // 5 + 5 + 3, and no next link after the last
    assertThat(ids(servers.list(ALICE, query, null, null).servers())).hasSize(13);
  }

  @Test
  void aMarkerThatIsUnknownOrAnotherProjectsIsRefused() {
    insert("project-a", "a", 1, "ACTIVE", "kiln-compute-1", TINY);
    Server b = insert("project-b", "b", 2, "ACTIVE", "kiln-compute-1", TINY);
    Servers.Query query = new Servers.Query(false, null, null, null, null);

    assertThatThrownBy(() -> servers.list(ALICE, query, 10, "nope"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID))
        .hasMessage("marker [nope] not found");
    assertThatThrownBy(() -> servers.list(ALICE, query, 10, b.id())).hasMessage("marker [" + b.id() + "] not found");
    assertThat(servers.list(BOB, query, 10, b.id()).servers()).isEmpty();
    // An admin listing every project may page from any server.
    assertThat(servers.list(ADMIN, new Servers.Query(true, null, null, null, null), 10, b.id()).servers())
        .extracting(Server::name)
        .containsExactly("a");
  }

  @Test
  void aMarkerFilteredOutOfTheListStillMarksThePlace() {
    Server old = insert("project-a", "old", 1, "ACTIVE", "kiln-compute-1", TINY);
    Server stopped = insert("project-a", "stopped", 2, "SHUTOFF", "kiln-compute-1", TINY);
    insert("project-a", "new", 3, "ACTIVE", "kiln-compute-1", TINY);

    Servers.Page page = servers.list(ALICE, new Servers.Query(false, null, "active", null, null), 10, stopped.id());

    assertThat(ids(page.servers())).containsExactly(old.id());
    assertThat(page.nextMarker()).isNull();
  }
}
