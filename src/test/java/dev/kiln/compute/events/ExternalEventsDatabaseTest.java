package dev.kiln.compute.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kiln.common.IdGenerator;
import dev.kiln.compute.events.ExternalEvent;
import dev.kiln.compute.events.ExternalEvents.Outcome;
import dev.kiln.compute.fleet.DriverOperation;
import dev.kiln.compute.fleet.DriverSetting;
import dev.kiln.compute.fleet.DriverSettings;
import dev.kiln.compute.fleet.FaultRule;
import dev.kiln.compute.fleet.SimulatedDriver;
import dev.kiln.compute.servers.InstanceAction;
import dev.kiln.compute.servers.store.InstanceActionStore;
import dev.kiln.store.Database;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * External events on each database Kiln runs on (one subclass each): accepted only for a server
 * that exists and has a host, recorded in order, and kept after the server is gone.
 */
abstract class ExternalEventsDatabaseTest {
  private Database db;
  private ExternalEvents events;
  private DriverSettings settings;

  protected abstract Database openNewDatabase();

  @BeforeEach
  void setUp() {
    db = openNewDatabase();
    settings =
        new DriverSettings(
            db, new SecureRandom(),
            Arrays.stream(DriverOperation.values()).collect(Collectors.toMap(Function.identity(), op -> Duration.ZERO)));
    events =
        new ExternalEvents(db, Clock.systemUTC(), IdGenerator.random(), new SimulatedDriver(settings, host -> true, d -> {}));
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  /** A server row with only what the table requires; {@code host} may be null (not scheduled). */
  private String server(String host) {
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    db.sql().update(
        "INSERT INTO compute_server (id, project_id, user_id, name, status, vm_state, power_state, host,"
            + " flavor_id, flavor_name, flavor_vcpus, flavor_ram_mb, flavor_disk_gb, flavor_ephemeral_gb,"
            + " flavor_swap_mb, flavor_extra_specs, created_at, updated_at, reservation_id)"
            + " VALUES (?, 'p', 'u', 'vm', 'ACTIVE', 'active', 1, ?, '1', 'm1.tiny', 1, 512, 1, 0, 0, '{}', ?, ?, 'r-1')",
        id, host, now, now);
    return id;
  }

  @Test
  void eventsForAServerOnAHostAreRecordedInOrderAndOutliveTheServer() {
    String id = server("kiln-compute-1");
    assertThat(events.record(id, ExternalEvents.VIF_PLUGGED, "port-1", ExternalEvents.COMPLETED, ExternalEvent.Source.NETWORK))
        .isEqualTo(Outcome.ACCEPTED);
    assertThat(events.record(id, ExternalEvents.VOLUME_EXTENDED, "vol-1", ExternalEvents.FAILED, ExternalEvent.Source.API))
        .isEqualTo(Outcome.ACCEPTED);
    db.sql().update("DELETE FROM compute_server WHERE id = ?", id);

    assertThat(events.of(id))
        .extracting(ExternalEvent::name, ExternalEvent::tag, ExternalEvent::status, ExternalEvent::source)
        .containsExactly(
            tuple(ExternalEvents.VIF_PLUGGED, "port-1", "completed", ExternalEvent.Source.NETWORK),
            tuple(ExternalEvents.VOLUME_EXTENDED, "vol-1", "failed", ExternalEvent.Source.API));
    assertThat(events.of(id)).allSatisfy(e -> assertThat(e.receivedAt()).isNotNull());
  }

  @Test
  void eventsForMissingOrUnscheduledServersOrWithoutANeededTagAreDropped() {
    String unscheduled = server(null);
    String missing = UUID.randomUUID().toString();
    String placed = server("kiln-compute-2");
    assertThat(events.record(missing, ExternalEvents.NETWORK_CHANGED, null, ExternalEvents.COMPLETED, ExternalEvent.Source.API))
        .isEqualTo(Outcome.SERVER_NOT_FOUND);
    assertThat(events.record(unscheduled, ExternalEvents.NETWORK_CHANGED, null, ExternalEvents.COMPLETED, ExternalEvent.Source.API))
        .isEqualTo(Outcome.NO_HOST);
    assertThat(events.record(placed, ExternalEvents.POWER_UPDATE, null, ExternalEvents.COMPLETED, ExternalEvent.Source.API))
        .isEqualTo(Outcome.TAG_MISSING);
    assertThat(events.of(missing)).isEmpty();
    assertThat(events.of(unscheduled)).isEmpty();
    assertThat(events.of(placed)).isEmpty();
  }

  /** Maps {@code volumeId} to the server as an attached data volume. */
  private void mapVolume(String serverId, String volumeId) {
    db.sql().update(
        "INSERT INTO compute_server_volume (id, server_id, source_type, volume_id, device_name, delete_on_termination,"
            + " status, created_at) VALUES (?, ?, 'VOLUME', ?, '/dev/vdb', FALSE, 'ATTACHED', ?)",
        UUID.randomUUID().toString(), serverId, volumeId, Instant.now());
  }

  @Test
  void aVolumeExtendedEventRecordsAnExtendVolumeActionWhoseComputeEventSucceeded() {
    String id = server("kiln-compute-1");
    mapVolume(id, "vol-1");
    assertThat(events.record(id, ExternalEvents.VOLUME_EXTENDED, "vol-1", ExternalEvents.COMPLETED, ExternalEvent.Source.VOLUME))
        .isEqualTo(Outcome.ACCEPTED);

    InstanceActionStore actions = new InstanceActionStore(db.sql());
    assertThat(actions.list(id)).extracting(InstanceAction::action).containsExactly("extend_volume");
    InstanceAction action = actions.list(id).get(0);
    assertThat(actions.events(id, action.requestId()))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.event()).isEqualTo("compute_extend_volume");
          assertThat(e.finishTime()).isNotNull();
          assertThat(e.result()).isEqualTo("Success");
        });
  }

  @Test
  void aDriverThatCannotExtendFailsTheComputeEventButTheEventIsStillAccepted() {
    String id = server("kiln-compute-1");
    mapVolume(id, "vol-1");
    settings.put(new DriverSetting(DriverOperation.EXTEND_VOLUME, Duration.ZERO, new FaultRule(1, 0.0, null, "disk stuck")));
    assertThat(events.record(id, ExternalEvents.VOLUME_EXTENDED, "vol-1", ExternalEvents.COMPLETED, ExternalEvent.Source.VOLUME))
        .isEqualTo(Outcome.ACCEPTED);

    InstanceActionStore actions = new InstanceActionStore(db.sql());
    InstanceAction action = actions.list(id).get(0);
    assertThat(actions.events(id, action.requestId()))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.result()).isEqualTo("Error");
          assertThat(e.traceback()).contains("disk stuck");
        });
  }

  @Test
  void extendingAVolumeTheServerDoesNotUseFailsTheComputeEvent() {
    String id = server("kiln-compute-1");
    assertThat(events.record(id, ExternalEvents.VOLUME_EXTENDED, "vol-9", ExternalEvents.COMPLETED, ExternalEvent.Source.API))
        .isEqualTo(Outcome.ACCEPTED);

    InstanceActionStore actions = new InstanceActionStore(db.sql());
    InstanceAction action = actions.list(id).get(0);
    assertThat(action.action()).isEqualTo("extend_volume");
    assertThat(actions.events(id, action.requestId()))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.result()).isEqualTo("Error");
          assertThat(e.traceback()).contains("vol-9");
        });
  }

  @Test
  void otherEventsRecordNoInstanceAction() {
    String id = server("kiln-compute-1");
    events.record(id, ExternalEvents.VIF_PLUGGED, "port-1", ExternalEvents.COMPLETED, ExternalEvent.Source.NETWORK);
    assertThat(new InstanceActionStore(db.sql()).list(id)).isEmpty();
  }
}
