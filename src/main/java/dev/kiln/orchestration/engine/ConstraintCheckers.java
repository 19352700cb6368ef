package dev.kiln.orchestration.engine;

import dev.kiln.common.Actor;
import dev.kiln.orchestration.template.ConstraintChecker;

/**
 * Makes the {@code custom_constraint} checker for a stack's owner: what {@code nova.flavor}, {@code
 * neutron.network}, … mean is the cloud's business, checked as the owner sees the cloud.
 */
@FunctionalInterface
public interface ConstraintCheckers {
  ConstraintChecker forOwner(Actor owner);

  /** Checks nothing (every custom constraint passes): for tests and a cloud-less engine. */
  ConstraintCheckers NONE = owner -> ConstraintChecker.NONE;
}
