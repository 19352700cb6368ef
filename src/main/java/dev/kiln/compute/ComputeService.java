package dev.kiln.compute;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.catalog.Flavors;
import dev.kiln.compute.catalog.Keypairs;
import dev.kiln.compute.events.ExternalEvents;
import dev.kiln.compute.fleet.Aggregates;
import dev.kiln.compute.fleet.DriverSettings;
import dev.kiln.compute.fleet.Fleet;
import dev.kiln.compute.fleet.FleetConfig;
import dev.kiln.compute.fleet.HypervisorDriver;
import dev.kiln.compute.fleet.SimulatedDriver;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Kiln's Compute service, so far: the simulated fleet with its hypervisor driver, fault
 * injection and host aggregates, flavors, keypairs, quotas and the external events other services send about
 * servers. Servers build on it: resolve the flavor ({@link
 * Flavors#get}) and keypair ({@link Keypairs#find}), claim capacity on a host ({@link
 * Fleet#claim}), then drive the instance through {@link #driver()}.
 */
public record ComputeService(
    Fleet fleet,
    Aggregates aggregates,
    DriverSettings driverSettings,
    HypervisorDriver driver,
    Flavors flavors,
    Keypairs keypairs,
    ComputeQuotas quotas,
    ExternalEvents externalEvents) {

  public ComputeService {
    requireNonNull(fleet, "fleet is null");
    requireNonNull(aggregates, "aggregates is null");
    requireNonNull(driverSettings, "driverSettings is null");
    requireNonNull(driver, "driver is null");
    requireNonNull(flavors, "flavors is null");
    requireNonNull(keypairs, "keypairs is null");
    requireNonNull(quotas, "quotas is null");
    requireNonNull(externalEvents, "externalEvents is null");
  }

  /**
   * Wires the service over one database without writing anything: what a second node, or a test,
   * uses to reach a fleet that {@link #start} registered.
   */
  public static ComputeService create(
      Database db,
      Clock clock,
      IdGenerator ids,
      SecureRandom random,
      FleetConfig config,
      SimulatedDriver.Sleeper sleeper) {
    requireNonNull(config, "config is null");
    Fleet fleet = new Fleet(db, clock, ids, config.hosts());
    DriverSettings settings = new DriverSettings(db, random, config.latencies());
    ComputeQuotas quotas = new ComputeQuotas(db);
    SimulatedDriver driver = new SimulatedDriver(settings, fleet::isKnown, sleeper);
    return new ComputeService(
        fleet,
        new Aggregates(db, clock, ids, fleet),
        settings,
        driver,
        new Flavors(db, clock, ids),
        new Keypairs(db, clock, random, quotas),
        quotas,
        new ExternalEvents(db, clock, ids, driver));
  }

  /**
   * Wires the service and applies the configuration: registers the hosts and their services, and
   * sets every driver operation's latency and faults to the configured ones.
   */
  public static ComputeService start(Database db, Clock clock, IdGenerator ids, SecureRandom random, FleetConfig config) {
    ComputeService compute = create(db, clock, ids, random, config, SimulatedDriver.Sleeper.REAL);
    compute.fleet().register();
    compute.driverSettings().apply(config);
    return compute;
  }
}
