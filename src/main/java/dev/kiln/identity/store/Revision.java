package dev.kiln.identity.store;

import dev.kiln.store.Sql;

/**
 * Identity's revision (R__identity_revision.sql): the one number every change that alters what an
 * issued token may do moves on, in the change's transaction. Every identity store writes such
 * changes through here, so that no table is forgotten.
 */
final class Revision {
  private Revision() {}

  /**
   * Runs a write and, when it changed rows, moves the revision on: every node's cached token
   * validations then stop being trusted (see {@code TokenService}). The bump comes after the
   * change, never before, so a validation that reads the new revision also reads the new rows.
   */
  static int changing(Sql sql, String statement, Object... args) {
    return bumpIf(sql, sql.update(statement, args));
  }

  /** Moves the revision on when {@code rows} is positive; answers {@code rows}. */
  static int bumpIf(Sql sql, int rows) {
    if (rows > 0) {
      sql.update("UPDATE identity_revision SET revision = revision + 1 WHERE id = 1");
    }
    return rows;
  }
}
