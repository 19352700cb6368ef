package dev.kiln.identity;

/** What a token is scoped to. */
public sealed interface Scope {
  record ProjectScope(String projectId) implements Scope {}

  record DomainScope(String domainId) implements Scope {}

  record Unscoped() implements Scope {}
}
