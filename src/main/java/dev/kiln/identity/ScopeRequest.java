package dev.kiln.identity;

/** The scope a client asks a new token to have, naming projects and domains by id or by name. */
public sealed interface ScopeRequest {
  /** A project, by id, or by name within a domain given by id or name. */
  record ProjectRequest(String id, String name, String domainId, String domainName)
      implements ScopeRequest {}

  record DomainRequest(String id, String name) implements ScopeRequest {}

  /** A trust (Keystone's {@code OS-TRUST:trust} scope), by id; only its trustee may ask. */
  record TrustRequest(String id) implements ScopeRequest {}

  /** No scope asked: the user's default project if it has a role there, else unscoped. */
  record Default() implements ScopeRequest {}
}
