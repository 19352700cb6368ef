package dev.kiln.orchestration;

/** Heat's stack and resource statuses; shown joined to the action: {@code CREATE_COMPLETE}. */
public enum StackStatus {
  IN_PROGRESS,
  COMPLETE,
  FAILED
}
