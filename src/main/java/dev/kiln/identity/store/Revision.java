package dev.kiln.identity.store;

import dev.kiln.store.Sql;
import dev.kiln.store.StoreException;

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

  /**
   * Like {@link #changing}, for an insert that may find its row already there (a grant or a
   * membership given twice): that changes nothing, as in Keystone, and moves nothing on.
   */
  static void insertingOnce(Sql sql, String statement, Object... args) {
    try {
      changing(sql, statement, args);
    } catch (StoreException e) {
      if (e.kind() != StoreException.Kind.DUPLICATE) {
        throw e;
      }
    }
  }

  /** Moves the revision on when {@code rows} is positive; answers {@code rows}. */
  static int bumpIf(Sql sql, int rows) {
    if (rows > 0) {
      sql.update("UPDATE identity_revision SET revision = revision + 1 WHERE id = 1");
    }
    return rows;
  }
}
