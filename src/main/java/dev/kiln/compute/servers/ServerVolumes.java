package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.store.Database;
import dev.kiln.volume.Attachment;
import dev.kiln.volume.Attachments;
import dev.kiln.volume.Volume;
import dev.kiln.volume.VolumeService;
import dev.kiln.volume.Volumes;
import java.time.Duration;
import java.util.Map;

/**
 * A server's volumes, attached the way Nova does it with Block Storage's attachments API:
 * reserve (an attachment without a connector), connect (update it with the host's connector),
 * complete; and detached by deleting the attachment. Compute only calls Block Storage's Java
 * interface, as Nova calls Cinder's REST API.
 */
public final class ServerVolumes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Database db;
  private final VolumeService volume;
  private final Duration volumeWait;

  /**
   * @param volumeWait how long a build waits for a volume it made to become available (Nova's
   *     block_device_allocate_retries)
   */
  public ServerVolumes(Database db, VolumeService volume, Duration volumeWait) {
    this.db = requireNonNull(db, "db is null");
    this.volume = requireNonNull(volume, "volume is null");
    this.volumeWait = requireNonNull(volumeWait, "volumeWait is null");
  }

  /** The volume, if the actor may see it; Block Storage's 404 otherwise. */
  public Volume visible(Actor actor, String volumeId) {
    return volume.volumes().visible(actor, volumeId);
  }

  /**
   * Reserves an existing volume for a server before its build, so no other attach can take it
   * meanwhile; answers the attachment's id.
   */
  public String reserve(Actor actor, String volumeId, String serverId) {
    return volume.attachments().create(actor, volumeId, serverId, null, null).id();
  }

  /**
   * Makes the attachment a move needs on its destination host: reserved and connected with the
   * destination's connector at once (the volume stays in-use through its source attachment);
   * answers its id. It is completed when the move succeeds, deleted when it does not.
   */
  public String attachForMove(Actor owner, String volumeId, String serverId, String host, String device) {
    return volume.attachments().create(owner, volumeId, serverId, connector(host, device), null).id();
  }

  /**
   * Moves the server's attached volumes to {@code host} in one go per volume: an attachment
   * connected there is made and completed, then the old one deleted. A volume already attached
   * on that host is skipped, so a repeated step does nothing twice.
   */
  public void moveAttachments(Server server, String host) {
    Actor system = Servers.system(server);
    BlockDeviceStore store = new BlockDeviceStore(db.sql());
    for (BlockDevice d : store.ofServer(server.id())) {
      if (d.state() != BlockDevice.State.ATTACHED || d.attachmentId() == null) {
        continue;
      }
      Attachment current;
      try {
        current = volume.attachments().visible(system, d.attachmentId());
      } catch (ServiceException e) {
        if (e.kind() == ServiceException.Kind.NOT_FOUND) {
          continue;
        }
        throw e;
      }
      if (host.equals(current.attachedHost())) {
        continue;
      }
      // An earlier attempt that died after making the destination's attachment left it in Block
      // Storage: take it rather than making a second one.
      String moved =
          otherAttachments(system, d.volumeId(), server.id(), d.attachmentId()).stream()
              .filter(a -> host.equals(a.attachedHost()))
              .map(Attachment::id)
              .findFirst()
              .orElseGet(() -> attachForMove(system, d.volumeId(), server.id(), host, d.deviceName()));
      if (!attachmentComplete(system, moved)) {
        completeAttachment(system, moved);
      }
      store.setAttachment(d.id(), moved);
      unreserve(system, d.attachmentId());
    }
  }

  /**
   * The volume's attachments to this server other than {@code keep}, as Block Storage records
   * them: what a move made on its destination, found again after a crash lost Compute's memory
   * of it.
   */
  public java.util.List<Attachment> otherAttachments(Actor owner, String volumeId, String serverId, String keep) {
    if (volumeId == null) {
      return java.util.List.of();
    }
    try {
      return volume.volumes().visible(owner, volumeId).attachments().stream()
          .filter(a -> serverId.equals(a.instanceUuid()) && !a.id().equals(keep))
          .toList();
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return java.util.List.of();
      }
      throw e;
    }
  }

  /**
   * Deletes every attachment of the server's volumes to it other than the one each mapping uses:
   * what a move made on its destination and did not finish (reserved and connected, so the volume
   * would stay attaching once its own attachment goes). Safe to repeat.
   */
  public void dropOtherAttachments(Server server) {
    Actor system = Servers.system(server);
    for (BlockDevice d : new BlockDeviceStore(db.sql()).ofServer(server.id())) {
      if (d.attachmentId() == null) {
        continue; // an attach whose reservation is not recorded yet: its own guard settles it
      }
      otherAttachments(system, d.volumeId(), server.id(), d.attachmentId()).forEach(a -> unreserve(system, a.id()));
    }
  }

  /** Gives back a reservation that a failed create did not use. */
  public void unreserve(Actor actor, String attachmentId) {
    try {
      volume.attachments().delete(actor, attachmentId);
    } catch (ServiceException e) {
      if (e.kind() != ServiceException.Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  /**
   * Makes the mapping's volume when its source is an image, a snapshot or nothing, waits until it
   * can be attached, and attaches it to the server on {@code host}. Every step is recorded, so a
   * retried build picks up where an earlier attempt stopped.
   */
  public void connect(Actor owner, BlockDevice device, String host) {
    BlockDeviceStore store = new BlockDeviceStore(db.sql());
    BlockDevice current = store.find(device.id()).orElseThrow(() -> new IllegalStateException("mapping " + device.id() + " is gone"));
    if (current.state() == BlockDevice.State.ATTACHED) {
      return;
    }
    String volumeId = current.volumeId();
    if (volumeId == null) {
      Volume made =
          volume.volumes().create(
              owner,
              new Volumes.Spec(
                  "", null, current.volumeSize(), current.volumeType(), null, Map.of(),
                  current.source() == BlockDevice.Source.SNAPSHOT ? current.sourceId() : null, null, null,
                  current.source() == BlockDevice.Source.IMAGE ? current.sourceId() : null));
      if (!store.setVolume(current.id(), made.id())) {
        volume.volumes().delete(owner, made.id(), false); // an earlier attempt's volume won
        current = store.find(device.id()).orElseThrow();
        volumeId = current.volumeId();
      } else {
        volumeId = made.id();
      }
    }
    String attachmentId = current.attachmentId();
    if (attachmentId == null) {
      awaitAvailable(owner, volumeId);
      attachmentId = reserve(owner, volumeId, current.serverId());
      store.setAttachment(current.id(), attachmentId);
    }
    if (connectAttachment(owner, attachmentId, host, current.deviceName())) {
      volume.attachments().complete(owner, attachmentId);
    }
    store.transition(current.id(), BlockDevice.State.ATTACHING, BlockDevice.State.ATTACHED);
  }

  /**
   * Gives Block Storage the host's connector for a reserved attachment (the volume is then
   * attaching); answers false when the attachment is already complete.
   */
  public boolean connectAttachment(Actor owner, String attachmentId, String host, String device) {
    Attachment attachment = volume.attachments().visible(owner, attachmentId);
    if (attachment.attachStatus().equals(Attachments.ATTACHED)) {
      return false;
    }
    if (attachment.attachStatus().equals(Attachments.RESERVED)) {
      volume.attachments().update(owner, attachmentId, connector(host, device));
    }
    return true;
  }

  /** Whether Block Storage holds the attachment as complete (attached); false when it is gone. */
  public boolean attachmentComplete(Actor owner, String attachmentId) {
    try {
      return volume.attachments().visible(owner, attachmentId).attachStatus().equals(Attachments.ATTACHED);
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Tells Block Storage the instance uses the volume now: it is in-use. */
  public void completeAttachment(Actor owner, String attachmentId) {
    volume.attachments().complete(owner, attachmentId);
  }

  /** Begins a detach in Block Storage: the volume is detaching until its attachment goes. */
  public void beginDetaching(Actor owner, String volumeId) {
    volume.attachments().beginDetaching(owner, volumeId);
  }

  /** A detach did not happen: the volume is in-use again. */
  public void rollDetaching(Actor owner, String volumeId) {
    volume.attachments().rollDetaching(owner, volumeId);
  }

  /**
   * Detaches the mapping's volume and, if {@code deleteVolume}, deletes it; what is already gone
   * is skipped, so this is safe to repeat.
   */
  public void release(Actor admin, BlockDevice device, boolean deleteVolume) {
    if (device.attachmentId() != null) {
      unreserve(admin, device.attachmentId());
    }
    if (deleteVolume && device.volumeId() != null) {
      try {
        volume.volumes().delete(admin, device.volumeId(), false);
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /** Waits for a volume being made to become available, as Nova's build does. */
  private void awaitAvailable(Actor owner, String volumeId) {
    long deadline = System.nanoTime() + volumeWait.toNanos();
    long pause = 2;
    while (true) {
      Volume v = volume.volumes().visible(owner, volumeId);
      if (v.status().equals(Volume.Status.AVAILABLE)) {
        return;
      }
      if (!v.status().equals(Volume.Status.CREATING) || System.nanoTime() > deadline) {
        throw ServiceException.invalid(
            "VolumeNotCreated",
            "Volume " + volumeId + " did not finish being created even after waiting " + volumeWait.toSeconds()
                + " seconds; its status is " + v.status() + ".");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for volume " + volumeId, e);
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  /** The connector a simulated host presents: what os-brick would report for an iSCSI host. */
  static Attachments.Connector connector(String host, String device) {
    ObjectNode json = JSON.createObjectNode();
    json.put("platform", "x86_64").put("os_type", "linux").put("ip", "127.0.0.1").put("host", host)
        .put("multipath", false).put("initiator", "iqn.2026-11.dev.kiln:" + host).put("mountpoint", device);
    return new Attachments.Connector(json.toString(), host, device);
  }
}
