package dev.kiln.compute.servers;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.servers.store.BlockDeviceStore;
import dev.kiln.compute.servers.store.ServerStore;
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
    // Made under the server's row, and refused once its delete has begun: the delete, which gives
    // back every attachment of the server's volumes to it, sees this one or it is never made.
    return db.inTransactionJoinedByNestedWork(
        sql -> {
          requireNotDeleting(sql, serverId);
          return volume.attachments().create(owner, volumeId, serverId, connector(host, device), null).id();
        });
  }

  /** Locks the server's row for this transaction; its 404 when it is gone or its delete has begun. */
  private static void requireNotDeleting(dev.kiln.store.Sql sql, String serverId) {
    String taskState = new ServerStore(sql).lockForBinding(serverId).orElseThrow(() -> Servers.notFound(serverId));
    if (taskState.equals("deleting")) {
      throw Servers.notFound(serverId);
    }
  }

  /**
   * Moves the server's attached volumes to {@code host}, each in one commit: an attachment
   * connected there is made and completed, the mapping takes it and the old one is deleted. A
   * volume already attached on that host is skipped, so a repeated step does nothing twice.
   */
  public void moveAttachments(Server server, String host) {
    Actor system = Servers.system(server);
    for (BlockDevice d : new BlockDeviceStore(db.sql()).ofServer(server.id())) {
      if (d.state() != BlockDevice.State.ATTACHED || d.attachmentId() == null) {
        continue;
      }
      db.inTransactionJoinedByNestedWork(
          sql -> {
            Attachment current;
            try {
              current = volume.attachments().visible(system, d.attachmentId());
            } catch (ServiceException e) {
              if (e.kind() == ServiceException.Kind.NOT_FOUND) {
                return null;
              }
              throw e;
            }
            if (host.equals(current.attachedHost())) {
              return null;
            }
            // A run from before this was one commit may have made the destination's attachment
            // and died: take it rather than making a second one.
            String moved =
                otherAttachments(system, d.volumeId(), server.id(), d.attachmentId()).stream()
                    .filter(a -> host.equals(a.attachedHost()))
                    .map(Attachment::id)
                    .findFirst()
                    .orElseGet(() -> attachForMove(system, d.volumeId(), server.id(), host, d.deviceName()));
            switchAttachment(system, d, moved);
            return null;
          });
    }
  }

  /**
   * Hands the mapping over to {@code moved}, an attachment of its volume connected on the
   * server's new host: it is completed, the mapping names it and the mapping's old attachment is
   * deleted, in one commit. In separate commits, a kill after the mapping took the new attachment
   * left the old one for good (a repeated move finds the volume on its host already), and a detach
   * later deleted only the mapping's, so the volume stayed attached to the server; a kill between
   * the old one's delete and the mapping's update left the mapping naming a deleted attachment, and
   * the roll-back then deleted the new one too.
   */
  public void switchAttachment(Actor owner, BlockDevice mapping, String moved) {
    db.inTransactionJoinedByNestedWork(
        sql -> {
          if (!attachmentComplete(owner, moved)) {
            completeAttachment(owner, moved);
          }
          new BlockDeviceStore(sql).setAttachment(mapping.id(), moved);
          unreserve(owner, mapping.attachmentId());
          return null;
        });
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
        continue; // an attach under way: its reservation commits with its record, or not at all
      }
      releaseAttachmentsOf(system, d.volumeId(), server.id(), d.attachmentId());
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
      // The volume's id follows from the mapping's: an attempt that a kill cut between making the
      // volume and recording it left a volume this retry finds and takes, instead of a second one.
      String planned = madeVolumeId(current);
      if (find(owner, planned) == null) {
        volume.volumes().create(
            owner,
            new Volumes.Spec(
                "", null, current.volumeSize(), current.volumeType(), null, Map.of(),
                current.source() == BlockDevice.Source.SNAPSHOT ? current.sourceId() : null, null, null,
                current.source() == BlockDevice.Source.IMAGE ? current.sourceId() : null),
            planned);
      }
      if (!store.setVolume(current.id(), planned)) {
        current = store.find(device.id()).orElseThrow();
        if (!planned.equals(current.volumeId())) {
          volume.volumes().delete(owner, planned, false); // an earlier attempt's volume won
        }
        volumeId = current.volumeId();
      } else {
        volumeId = planned;
      }
    }
    String attachmentId = current.attachmentId();
    if (attachmentId == null) {
      if (otherAttachments(owner, volumeId, current.serverId(), null).isEmpty()) {
        awaitAvailable(owner, volumeId); // not when an earlier attempt's reservation holds it
      }
      attachmentId = reserveRecorded(owner, current.id(), current.serverId(), volumeId);
    }
    if (connectAttachment(owner, attachmentId, host, current.deviceName())) {
      volume.attachments().complete(owner, attachmentId);
    }
    store.transition(current.id(), BlockDevice.State.ATTACHING, BlockDevice.State.ATTACHED);
  }

  /**
   * Reserves the mapping's volume for its server and records the attachment on the mapping in one
   * commit, under the server's row and only while no delete of the server has begun (else the
   * server's 404, and nothing is reserved). Block Storage's writes join the commit: there is never
   * a reservation that its mapping does not name, so a kill between the two cannot leave one
   * behind, and a delete (which marks the server through the same row) either sees the attachment
   * on the mapping and gives it back, or comes first and no reservation is made. An attachment of
   * the volume to the server that an earlier attempt made and could not record (before this was
   * one commit) is taken rather than a second one made; answers the attachment's id.
   */
  public String reserveRecorded(Actor actor, String mappingId, String serverId, String volumeId) {
    return db.inTransactionJoinedByNestedWork(
        sql -> {
          requireNotDeleting(sql, serverId);
          String attachmentId =
              otherAttachments(actor, volumeId, serverId, null).stream()
                  .filter(a -> !a.attachStatus().equals(Attachments.ATTACHED))
                  .map(Attachment::id)
                  .findFirst()
                  .orElseGet(() -> reserve(actor, volumeId, serverId));
          if (!new BlockDeviceStore(sql).setAttachmentOnce(mappingId, attachmentId)) {
            throw ServiceException.conflict(
                "InstanceInvalidState",
                "The attach of volume " + volumeId + " to server " + serverId + " was given up meanwhile; try again.");
          }
          return attachmentId;
        });
  }

  /**
   * Gives back every attachment of the volume to the server other than {@code keep} (null: every
   * one), whatever its state: for a server being deleted or gone, what no mapping of it will be
   * used for any more. Safe to repeat.
   */
  public void releaseAttachmentsOf(Actor owner, String volumeId, String serverId, String keep) {
    otherAttachments(owner, volumeId, serverId, keep).forEach(a -> unreserve(owner, a.id()));
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
    // A volume Compute was making that no record names yet (a build cut short between making it
    // and recording it) has the id the mapping gives it.
    String volumeId =
        device.volumeId() != null || device.source() == BlockDevice.Source.VOLUME ? device.volumeId() : madeVolumeId(device);
    if (deleteVolume && volumeId != null) {
      try {
        volume.volumes().delete(admin, volumeId, false);
      } catch (ServiceException e) {
        if (e.kind() != ServiceException.Kind.NOT_FOUND) {
          throw e;
        }
      }
    }
  }

  /**
   * The id of the volume Compute makes for a mapping (from an image, a snapshot or blank): derived
   * from the mapping's id, so that every attempt of a build, and a delete, name the same volume.
   */
  public static String madeVolumeId(BlockDevice device) {
    return java.util.UUID.nameUUIDFromBytes(
            ("kiln-compute-block-device:" + device.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  /** The volume, or null when there is none with that id. */
  private Volume find(Actor owner, String volumeId) {
    try {
      return volume.volumes().visible(owner, volumeId);
    } catch (ServiceException e) {
      if (e.kind() == ServiceException.Kind.NOT_FOUND) {
        return null;
      }
      throw e;
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
