package dev.kiln.orchestration.engine;

import static dev.kiln.orchestration.engine.EngineHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.resources.Props;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceType;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import dev.kiln.orchestration.template.schema.SupportStatus;
import dev.kiln.store.Database;
import dev.kiln.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step's change in another service that commits after its stack was taken over (the delete was
 * accepted by another node while the step's request was in flight) is refused, so the delete,
 * which looked for it and found nothing, leaves nothing behind.
 */
class LateCommitTest {
  private static final String TEMPLATE =
      """
      heat_template_version: 2018-08-31
      resources:
        thing:
          type: Kiln::Test::LateCommitter
      """;

  private final String name = "heat-" + UUID.randomUUID();
  private final Database db = Database.inMemory(name);
  private final LateCommitter committer = new LateCommitter(db);
  private EngineHarness engine;

  @AfterEach
  void tearDown() {
    committer.release.countDown();
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aStepsCommitAfterADeleteTookItsStackOverIsRefused() throws Exception {
    engine = new EngineHarness(db, List.of(), true, List.of(committer));
    Stack stack = engine.create(ALICE, "late", TEMPLATE);
    assertThat(committer.started.await(10, TimeUnit.SECONDS)).isTrue();

    // Accepted through another node, while the step's own request is still in flight.
    new EngineHarness(db, List.of(), false, List.of(committer)).heat.delete(ALICE, stack.id());
    committer.release.countDown();

    Throwable refused = committer.outcome.get(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(Journal.Superseded.class);
    assertThat(committer.rows()).as("things the create made after the take-over").isZero();
    engine.awaitStatus(ALICE, stack.id(), "DELETE_COMPLETE", Duration.ofSeconds(20));
  }

  @Test
  void aStepsCommitWhileItsOperationRunsGoesThrough() throws Exception {
    engine = new EngineHarness(db, List.of(), true, List.of(committer));
    Stack stack = engine.create(ALICE, "late", TEMPLATE);
    committer.release.countDown();

    engine.awaitStatus(ALICE, stack.id(), "CREATE_COMPLETE");
    assertThat(committer.outcome.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(committer.rows()).isEqualTo(1);
  }

  /**
   * {@code Kiln::Test::LateCommitter}: its create waits (not through the operation's waits, as a
   * request in flight to another service does not) and then commits a row of its own.
   */
  static final class LateCommitter implements ResourceType {
    private static final ResourceSchema SCHEMA =
        new ResourceSchema(
            "Kiln::Test::LateCommitter", "Commits a row late.", new SupportStatus("SUPPORTED", "1.0", null),
            Props.properties(), Props.attributes());

    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    /** Completes with null when the row was committed, else with why not. */
    final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    private final Database db;

    LateCommitter(Database db) {
      this.db = db;
      db.sql().update("CREATE TABLE IF NOT EXISTS late_thing (id VARCHAR(64) PRIMARY KEY)");
    }

    int rows() {
      return db.sql().query("SELECT COUNT(*) AS n FROM late_thing", r -> r.getInt("n")).getFirst();
    }

    @Override
    public ResourceSchema schema() {
      return SCHEMA;
    }

    @Override
    public void create(ResourceContext context) throws Exception {
      started.countDown();
      Await.until(() -> release.getCount() == 0, "the test to release the create");
      try {
        db.inTransaction(sql -> sql.update("INSERT INTO late_thing (id) VALUES (?)", context.id()));
        outcome.complete(null);
      } catch (RuntimeException e) {
        outcome.complete(e);
        throw e;
      }
      context.physicalId(context.id());
    }

    @Override
    public void delete(ResourceContext context) {
      db.sql().update("DELETE FROM late_thing WHERE id = ?", context.id());
    }
  }
}
