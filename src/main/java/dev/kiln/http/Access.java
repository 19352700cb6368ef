package dev.kiln.http;

/** Who may call a route, checked before its handler runs. */
public enum Access {
  /** Anyone: version documents and token issue. */
  PUBLIC,
  /** Any caller with a valid token; the handler scopes what it returns. */
  AUTHENTICATED,
  /** Callers holding the admin role. */
  ADMIN
}
