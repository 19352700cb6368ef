package dev.kiln.orchestration.engine;

import dev.kiln.orchestration.Stack;
import dev.kiln.orchestration.StackAction;
import dev.kiln.orchestration.StackStatus;

/**
 * A plugpoint called around every top-level stack create, update, delete, suspend and resume (a
 * nested stack's operation is part of its root's). Implementations are found with {@link
 * java.util.ServiceLoader}: put a class implementing this interface on Kiln's class path and name
 * it in {@code META-INF/services/dev.kiln.orchestration.engine.StackLifecyclePlugin}.
 *
 * <p>Plugins run on the engine's task, on the node running the operation, in {@link #ordinal()}
 * order, and may run again for one operation if its node dies and another carries it on.
 */
public interface StackLifecyclePlugin {
  /**
   * One operation as a plugin sees it.
   *
   * @param stack the stack as it is now (IN_PROGRESS before; its outcome after)
   * @param resourceCount how many resources the stack has (this stack's own, not nested ones)
   * @param outcome COMPLETE or FAILED after the operation; null before it
   */
  record Operation(Stack stack, StackAction action, int resourceCount, StackStatus outcome) {}

  /** Plugins with lower ordinals run first. */
  default int ordinal() {
    return 100;
  }

  /**
   * Called before the operation touches any resource. Throwing refuses it: the stack ends {@code
   * <ACTION>_FAILED} with the exception's message as its reason, and nothing else is done.
   */
  default void before(Operation operation) throws Exception {}

  /** Called after the operation ended; exceptions are logged and ignored. */
  default void after(Operation operation) {}
}
