package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.store.TemplateRow;
import dev.kiln.orchestration.store.TemplateStore;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.ParsedStack;
import dev.kiln.orchestration.template.PseudoParameters;
import dev.kiln.orchestration.template.TemplateLanguage;
import dev.kiln.orchestration.template.TemplateSource;
import dev.kiln.store.Database;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed and bound templates, kept in memory so that an operation does not parse its template
 * again on the node that accepted the request, and a stack show does not parse it for each output.
 * Another node (or this one after a restart) parses the stored template once and caches it.
 */
final class ParsedTemplates {
  private static final int CAPACITY = 512;

  private record Bound(String templateId, ParsedStack parsed, BoundStack bound) {}

  private final Database db;
  private final TemplateLanguage templates;
  private final ResourceTypes types;
  private final Map<String, ParsedStack> byTemplate = lru();
  private final Map<String, Bound> byStack = lru();

  ParsedTemplates(Database db, TemplateLanguage templates, ResourceTypes types) {
    this.db = requireNonNull(db, "db is null");
    this.templates = requireNonNull(templates, "templates is null");
    this.types = requireNonNull(types, "types is null");
  }

  static TemplateSource source(TemplateRow row) {
    return new TemplateSource(row.template(), null, row.files(), row.environment(), row.environmentFiles());
  }

  /** Remembers what the request already parsed and bound. */
  void remember(String stackId, String templateId, ParsedStack parsed, BoundStack bound) {
    synchronized (this) {
      byTemplate.put(templateId, parsed);
      byStack.put(stackId, new Bound(templateId, parsed, bound));
    }
  }

  ParsedStack parsed(String templateId) {
    synchronized (this) {
      ParsedStack cached = byTemplate.get(templateId);
      if (cached != null) {
        return cached;
      }
    }
    TemplateRow row =
        new TemplateStore(db.sql())
            .find(templateId)
            .orElseThrow(() -> new IllegalStateException("template " + templateId + " is missing"));
    ParsedStack parsed = templates.parse(source(row), types);
    synchronized (this) {
      byTemplate.put(templateId, parsed);
    }
    return parsed;
  }

  /** The stack's current template bound with its parameters, checking constraints with {@code checkers}. */
  BoundStack bound(StackRow stack, ConstraintCheckers checkers) {
    synchronized (this) {
      Bound cached = byStack.get(stack.id());
      if (cached != null && cached.templateId().equals(stack.templateId())) {
        return cached.bound();
      }
    }
    ParsedStack parsed = parsed(stack.templateId());
    Map<String, JsonNode> parameters = new LinkedHashMap<>();
    stack.parameters().fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue()));
    BoundStack bound =
        parsed.bind(
            parameters,
            new PseudoParameters(stack.name(), stack.id(), stack.projectId()),
            checkers.forOwner(Engine.owner(stack)));
    synchronized (this) {
      byStack.put(stack.id(), new Bound(stack.templateId(), parsed, bound));
    }
    return bound;
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > CAPACITY;
      }
    };
  }
}
