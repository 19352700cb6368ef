package dev.kiln.orchestration;

/** Heat's stack and resource actions. */
public enum StackAction {
  INIT,
  CREATE,
  DELETE,
  UPDATE,
  ROLLBACK,
  SUSPEND,
  RESUME,
  ADOPT,
  CHECK,
  SNAPSHOT,
  RESTORE
}
