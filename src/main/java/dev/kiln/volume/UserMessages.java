package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.Sql;
import dev.kiln.volume.store.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Cinder's user messages (3.3): the volume service records one when work it accepted fails later
 * (so far: a volume no backend can take); the owning project lists, shows and deletes them. A
 * message is kept for Cinder's default {@code message_ttl}, 30 days, then no longer shown.
 */
public final class UserMessages {
  static final Duration TTL = Duration.ofDays(30);

  /** Cinder's event: allocating a volume, no backend available (action 001, detail 003). */
  static final String NO_VALID_BACKEND_EVENT = "VOLUME_VOLUME_001_003";
  static final String NO_VALID_BACKEND_MESSAGE = "schedule allocate volume: Could not find any available weighted backend.";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;

  public UserMessages(Database db, Clock clock, IdGenerator ids) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
  }

  /** Records, in the caller's transaction, that volume {@code volume} could not be placed on a backend. */
  void noValidBackend(Sql sql, Volume volume, String requestId) {
    Instant now = now();
    new MessageStore(sql).insert(new UserMessage(ids.uuid(), volume.projectId(), requestId, "VOLUME", volume.id(),
        NO_VALID_BACKEND_EVENT, "ERROR", NO_VALID_BACKEND_MESSAGE, now, now.plus(TTL)));
  }

  public List<UserMessage> list(Actor actor, boolean allProjects) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    return new MessageStore(db.sql()).list(actor.admin() && allProjects ? null : actor.projectId(), now());
  }

  public UserMessage show(Actor actor, String id) {
    return new MessageStore(db.sql()).find(id, now())
        .filter(m -> actor.owns(m.projectId()))
        .orElseThrow(() -> notFound(id));
  }

  public void delete(Actor actor, String id) {
    show(actor, id);
    if (new MessageStore(db.sql()).delete(id) == 0) {
      throw notFound(id);
    }
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("MessageNotFound", "Message " + id + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
