package dev.kiln.orchestration.resources;

import dev.kiln.orchestration.engine.ConstraintCheckers;
import dev.kiln.orchestration.template.ConstraintChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The custom constraints Kiln checks against its services, each family contributing its own; a
 * constraint Kiln does not know passes, as Heat lets unknown constraints through with a warning.
 */
public final class CloudConstraints implements ConstraintCheckers {
  private final Map<String, CustomConstraint> byName;

  private CloudConstraints(List<CustomConstraint> constraints) {
    this.byName = constraints.stream().collect(Collectors.toUnmodifiableMap(CustomConstraint::name, Function.identity()));
  }

  public static CloudConstraints over(Cloud cloud) {
    List<CustomConstraint> all = new ArrayList<>();
    all.addAll(dev.kiln.orchestration.resources.volume.CinderTypes.constraints(cloud));
    all.addAll(dev.kiln.orchestration.resources.identity.KeystoneTypes.constraints(cloud));
    all.addAll(dev.kiln.orchestration.resources.compute.ComputeTypes.constraints(cloud));
    all.addAll(dev.kiln.orchestration.resources.network.NetworkTypes.constraints(cloud));
    return new CloudConstraints(all);
  }

  @Override
  public ConstraintChecker forOwner(dev.kiln.common.Actor owner) {
    return (name, value) -> {
      CustomConstraint constraint = byName.get(name);
      return constraint == null ? Optional.empty() : constraint.check(owner, value);
    };
  }
}
