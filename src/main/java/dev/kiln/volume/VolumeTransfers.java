package dev.kiln.volume;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.IdGenerator;
import dev.kiln.common.ServiceException;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import dev.kiln.volume.Volume.AttachStatus;
import dev.kiln.volume.Volume.Status;
import dev.kiln.volume.store.VolumeQuotaStore;
import dev.kiln.volume.store.VolumeStore;
import dev.kiln.volume.store.VolumeTransferStore;
import dev.kiln.volume.store.VolumeTypeEncryptionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Volume transfers, Cinder's way of giving a volume to another project: the owner creates a
 * transfer (the volume goes {@code available → awaiting-transfer}) and hands its auth key to the
 * recipient, who accepts it with the key; the volume, its snapshots (unless {@code no_snapshots})
 * and their quota usage move to the recipient's project in one transaction, and the volume is
 * {@code available} again. Deleting the transfer withdraws the offer.
 *
 * <p>Every step runs under the transfer's row lock and then the volume's, so of racing accepts (or
 * an accept and a delete) exactly one happens; the volume's moves are conditional updates.
 */
public final class VolumeTransfers {
  /** Cinder's default {@code volume_transfer_key_length}. */
  static final int KEY_LENGTH = 16;
  private static final String KEY_CHARACTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final VolumeQuotas quotas;
  private final SecureRandom random = new SecureRandom();

  public VolumeTransfers(Database db, Clock clock, IdGenerator ids, VolumeQuotas quotas) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  /**
   * Offers the actor's volume: it must be available, unencrypted (Cinder transfers encrypted
   * volumes only from 3.70), and its snapshots available unless they stay behind.
   */
  public VolumeTransfer.Created create(Actor actor, String volumeId, String name, boolean noSnapshots) {
    String key = authKey();
    byte[] saltBytes = new byte[8];
    random.nextBytes(saltBytes);
    String salt = HexFormat.of().formatHex(saltBytes);
    VolumeTransfer transfer;
    try {
      transfer =
          db.inTransaction(
              sql -> {
                VolumeStore volumes = new VolumeStore(sql);
                Volume volume =
                    volumes.lockVolume(volumeId).filter(v -> actor.owns(v.projectId()))
                        .orElseThrow(() -> VolumeErrors.volumeNotFound(volumeId));
                if (!volume.status().equals(Status.AVAILABLE)) {
                  throw VolumeErrors.invalidVolume("status must be available");
                }
                if (new VolumeTypeEncryptionStore(sql).find(volume.volumeTypeId()).isPresent()) {
                  throw VolumeErrors.invalidVolume("transferring encrypted volume is not supported");
                }
                if (!noSnapshots) {
                  for (Snapshot s : volumes.snapshotsOf(volumeId)) {
                    if (!s.status().equals(Status.AVAILABLE)) {
                      throw ServiceException.invalid(
                          "InvalidSnapshot", "Invalid snapshot: snapshot: " + s.id() + " status must be available");
                    }
                  }
                }
                Instant now = now();
                if (!volumes.transition(
                    volumeId, List.of(Status.AVAILABLE), Status.AWAITING_TRANSFER, AttachStatus.DETACHED, now)) {
                  throw VolumeErrors.invalidVolume("status must be available");
                }
                VolumeTransfer made =
                    new VolumeTransfer(ids.uuid(), volumeId, name, noSnapshots, volume.projectId(), null, false, now);
                new VolumeTransferStore(sql).insert(made, salt, hash(salt, key));
                return made;
              });
    } catch (StoreException e) {
      // Under the volume's row lock a second offer finds it awaiting-transfer; the key is a backstop.
      throw e.kind() == StoreException.Kind.DUPLICATE ? VolumeErrors.invalidVolume("status must be available") : e;
    }
    return new VolumeTransfer.Created(transfer, key);
  }

  /** A transfer of one of the actor's volumes (any, for admins). */
  public VolumeTransfer show(Actor actor, String id) {
    return new VolumeTransferStore(db.sql())
        .find(id)
        .map(VolumeTransferStore.Row::transfer)
        .filter(t -> actor.owns(t.sourceProjectId()))
        .orElseThrow(() -> notFound(id));
  }

  /**
   * The transfers of the actor's project's volumes; an admin asking for all projects gets every
   * one. {@code name} filters by exact name when given.
   */
  public List<VolumeTransfer> list(Actor actor, boolean allProjects, String name) {
    if (!actor.admin() && actor.projectId() == null) {
      return List.of();
    }
    Stream<VolumeTransfer> all =
        new VolumeTransferStore(db.sql()).list(actor.admin() && allProjects ? null : actor.projectId()).stream();
    return name == null ? all.toList() : all.filter(t -> name.equals(t.name())).toList();
  }

  /**
   * Takes the volume into the actor's project. A wrong key is a 400 and changes nothing; so does
   * a recipient over its quotas (413).
   */
  public VolumeTransfer accept(Actor actor, String id, String authKey) {
    if (actor.projectId() == null) {
      throw VolumeErrors.invalidInput("a project-scoped token is needed to accept a volume transfer.");
    }
    return db.inTransaction(
        sql -> {
          VolumeTransferStore store = new VolumeTransferStore(sql);
          VolumeTransferStore.Row row = store.lock(id).orElseThrow(() -> notFound(id));
          if (!MessageDigest.isEqual(
              hash(row.salt(), authKey).getBytes(StandardCharsets.US_ASCII),
              row.cryptHash().getBytes(StandardCharsets.US_ASCII))) {
            throw ServiceException.invalid(
                "InvalidAuthKey", "Invalid auth key: Attempt to transfer " + id + " with invalid auth key.");
          }
          VolumeTransfer transfer = row.transfer();
          VolumeStore volumes = new VolumeStore(sql);
          Volume volume = volumes.lockVolume(transfer.volumeId())
              .orElseThrow(() -> VolumeErrors.volumeNotFound(transfer.volumeId()));
          if (!volume.status().equals(Status.AWAITING_TRANSFER)) {
            throw VolumeErrors.invalidVolume("status must be awaiting-transfer");
          }
          List<Snapshot> snapshots = transfer.noSnapshots() ? List.of() : volumes.snapshotsOf(volume.id());
          long gigabytes = volume.size() + snapshots.stream().mapToLong(Snapshot::size).sum();
          String donor = volume.projectId();
          String recipient = actor.projectId();
          // Both projects' usage rows, in one order, so crossing transfers cannot deadlock.
          VolumeQuotaStore usage = new VolumeQuotaStore(sql);
          Stream.of(donor, recipient).distinct().sorted().forEach(usage::lockUsage);
          quotas.reserve(sql, recipient, 1, gigabytes, snapshots.size());
          quotas.release(sql, donor, 1, gigabytes, snapshots.size());
          Instant now = now();
          if (!store.moveVolume(volume.id(), donor, recipient, actor.userId(), now)) {
            throw VolumeErrors.invalidVolume("status must be awaiting-transfer");
          }
          if (!transfer.noSnapshots()) {
            store.moveSnapshots(volume.id(), recipient, actor.userId(), now);
          }
          store.delete(id);
          return new VolumeTransfer(
              transfer.id(), transfer.volumeId(), transfer.name(), transfer.noSnapshots(), donor, recipient, true,
              transfer.createdAt());
        });
  }

  /** Withdraws the offer: the transfer goes, and the volume is available to its owner again. */
  public void delete(Actor actor, String id) {
    db.inTransaction(
        sql -> {
          VolumeTransferStore store = new VolumeTransferStore(sql);
          VolumeTransfer transfer = store.lock(id).map(VolumeTransferStore.Row::transfer)
              .filter(t -> actor.owns(t.sourceProjectId()))
              .orElseThrow(() -> notFound(id));
          // An admin may have reset the volume's status meanwhile: then only the offer goes.
          new VolumeStore(sql).transition(
              transfer.volumeId(), List.of(Status.AWAITING_TRANSFER), Status.AVAILABLE, AttachStatus.DETACHED, now());
          store.delete(id);
          return null;
        });
  }

  private String authKey() {
    StringBuilder key = new StringBuilder(KEY_LENGTH);
    for (int i = 0; i < KEY_LENGTH; i++) {
      key.append(KEY_CHARACTERS.charAt(random.nextInt(KEY_CHARACTERS.length())));
    }
    return key.toString();
  }

  private static String hash(String salt, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest((salt + key).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static ServiceException notFound(String id) {
    return ServiceException.notFound("TransferNotFound", "Transfer " + id + " could not be found.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
