package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;
import dev.kiln.orchestration.store.JsonColumns;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a rollback goes, as Heat's convergence does it: back to the template (and parameters)
 * before the update, or, after a failed create, to an empty template of the same version, so that
 * the rollback is an update like any other, planned and walked the same way.
 */
final class Rollbacks {
  static final String STARTED = "Stack ROLLBACK started";

  private final StackRunner runner;

  Rollbacks(StackRunner runner) {
    this.runner = requireNonNull(runner, "runner is null");
  }

  /**
   * @param template a template row to write first (the empty one a create rolls back to), or null
   * @param stack the stack pointed at the rollback's template, ROLLBACK_IN_PROGRESS
   */
  record Target(TemplateRow template, StackRow stack) {}

  /** The rollback of {@code stack}'s current update (or create), as operation {@code traversal}. */
  Target target(StackRow stack, String traversal, Instant now) {
    Engine e = runner.engine();
    TemplateStore templates = new TemplateStore(e.db().sql());
    TemplateRow current = templates.find(stack.templateId()).orElseThrow();
    TemplateRow target;
    TemplateRow written = null;
    if (stack.action() == StackAction.UPDATE && stack.previousTemplateId() != null) {
      target = templates.find(stack.previousTemplateId()).orElseThrow();
    } else {
      written = new TemplateRow(e.ids().uuid(), emptyLike(current.template()), Map.of(), null, List.of(),
          JsonColumns.object(), now);
      target = written;
    }
    JsonNode parameters = target.parameters() != null ? target.parameters() : stack.parameters();
    ParsedStack parsed = e.templates().parse(ParsedTemplates.source(target), e.types());
    Map<String, JsonNode> values = new LinkedHashMap<>();
    parameters.fields().forEachRemaining(f -> values.put(f.getKey(), f.getValue()));
    BoundStack bound =
        parsed.bind(values, new PseudoParameters(stack.name(), stack.id(), stack.projectId()),
            dev.kiln.orchestration.template.ConstraintChecker.NONE);
    StackRow next =
        stack.retargeted(
            StackAction.ROLLBACK, STARTED, traversal, now, target.id(), null,
            parsed.description() == null ? "" : parsed.description(), parameters,
            NewStack.shownParameters(parsed, bound), stack.timeoutMins(), stack.disableRollback(), stack.tags());
    return new Target(written, next);
  }

  /**
   * Turns the operation {@code journal} writes for into the rollback of {@code stack}, whose
   * operation just failed with {@code reason}: the failure's event and the rollback's start are
   * committed together, so the stack is never seen failed in between.
   */
  void start(StackRow stack, String reason, Journal journal) {
    Instant now = runner.engine().now();
    Target target = target(stack, journal.traversal(), now);
    if (target.template() != null) {
      journal.template(target.template());
    }
    journal.retarget(target.stack(), List.of(
        runner.stackEvent(stack, stack.action(), StackStatus.FAILED, reason, now),
        runner.stackEvent(target.stack(), StackAction.ROLLBACK, StackStatus.IN_PROGRESS, STARTED, now)));
  }

  /** A template of the same version with nothing in it. */
  private static JsonNode emptyLike(JsonNode template) {
    ObjectNode empty = JsonColumns.object();
    for (String key : List.of("heat_template_version", "HeatTemplateFormatVersion", "AWSTemplateFormatVersion")) {
      if (template.has(key)) {
        empty.set(key, template.get(key));
        return empty;
      }
    }
    empty.put("heat_template_version", "2013-05-23");
    return empty;
  }
}
