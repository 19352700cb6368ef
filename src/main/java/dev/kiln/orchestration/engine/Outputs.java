package dev.kiln.orchestration.engine;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.StackOutput;
import dev.kiln.orchestration.store.ResourceStore;
import dev.kiln.orchestration.store.StackRow;
import dev.kiln.orchestration.template.BoundStack;
import dev.kiln.orchestration.template.OutputDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack's outputs, resolved when asked for, against its resources' rows as they are now. An
 * output that cannot be resolved (its resource failed, or is not there yet) shows its error.
 */
final class Outputs {
  private final StackRunner runner;

  Outputs(StackRunner runner) {
    this.runner = requireNonNull(runner, "runner is null");
  }

  List<StackOutput> resolve(StackRow stack) {
    Engine e = runner.engine();
    BoundStack bound = e.parsed().bound(stack, ConstraintCheckers.NONE);
    LiveStack live = LiveStack.of(stack, new ResourceStore(e.db().sql()).current(stack.id()), bound, e.types());
    Instant far = e.clock().instant().plusSeconds(3600);
    StackResolver resolver =
        new StackResolver(live, name -> new NestedStackRunner(runner, live, live.slot(name).row(), null, far));
    List<StackOutput> outputs = new ArrayList<>();
    for (OutputDefinition output : bound.outputs()) {
      String description = output.description() == null ? "No description given" : output.description();
      try {
        outputs.add(new StackOutput(output.name(), description, output.value().resolve(resolver), null));
      } catch (ServiceException | IllegalArgumentException | IllegalStateException ex) {
        outputs.add(new StackOutput(output.name(), description, NullNode.instance, ex.getMessage()));
      }
    }
    return outputs;
  }
}
