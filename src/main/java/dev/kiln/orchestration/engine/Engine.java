package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.orchestration.store.SignalStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.template.TemplateLanguage;
import dev.kiln.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What every part of the engine shares: the store, time, ids, templates, types, signals, the ends of
 * other services' tasks, and Kiln's public URL, asked for when a signal URL is made (the server knows its port only once it
 * listens).
 */
record Engine(
    Database db,
    Clock clock,
    IdGenerator ids,
    TemplateLanguage templates,
    ResourceTypes types,
    SignalBus bus,
    ConstraintCheckers checkers,
    ParsedTemplates parsed,
    java.security.SecureRandom seeds,
    java.util.function.Supplier<String> publicUrl,
    TaskEnds taskEnds) {

  Engine {
    requireNonNull(db, "db is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(ids, "ids is null");
    requireNonNull(templates, "templates is null");
    requireNonNull(types, "types is null");
    requireNonNull(bus, "bus is null");
    requireNonNull(checkers, "checkers is null");
    requireNonNull(parsed, "parsed is null");
    requireNonNull(seeds, "seeds is null");
    requireNonNull(publicUrl, "publicUrl is null");
    requireNonNull(taskEnds, "taskEnds is null");
  }

  /** Truncated to microseconds, the precision both databases keep. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  List<JsonNode> signals(String resourceId) {
    return new SignalStore(db.sql()).of(resourceId);
  }

  static Actor owner(StackRow stack) {
    return new Actor(stack.projectId(), stack.userId(), stack.ownerAdmin());
  }

  /** A fresh secret for a new resource row's seeded randomness. */
  String newSeed() {
    byte[] bytes = new byte[16];
    seeds.nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
