package dev.kiln.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database failure, classified so that callers can turn the expected ones into 409s. */
public final class StoreException extends RuntimeException {
  /** What went wrong, as far as callers need to know. */
  public enum Kind {
    /** A unique or primary key constraint refused the row. */
    DUPLICATE,
    /** A foreign key constraint refused the change. */
    REFERENCED,
    /** A lock or serialization conflict; the work may be retried. */
    CONFLICT,
    /**
     * No connection could be had in time: every connection of the pool stayed busy for the pool's
     * whole wait. Nothing was read or written; the request may be sent again later.
     */
    UNAVAILABLE,
    OTHER
  }

  private final Kind kind;

  StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  static StoreException from(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      // What the pool throws when its wait for a free connection ran out.
      return new StoreException(Kind.UNAVAILABLE, e.getMessage(), e);
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    Kind kind =
        switch (state) {
          case "23505" -> Kind.DUPLICATE;
          case "23503", "23506" -> Kind.REFERENCED;
          case "40001", "40P01", "HYT00" -> Kind.CONFLICT;
          default -> Kind.OTHER;
        };
    return new StoreException(kind, e.getMessage(), e);
  }

  public Kind kind() {
    return kind;
  }
}
