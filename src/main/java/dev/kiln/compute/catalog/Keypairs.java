package dev.kiln.compute.catalog;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.Actor;
import dev.kiln.common.ServiceException;
import dev.kiln.compute.catalog.store.KeypairStore;
import dev.kiln.compute.quotas.ComputeQuotas;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keypairs, which belong to a user: users manage their own; admins may manage anyone's by naming
 * the user (microversion 2.10). A user holds at most the key_pairs quota of the request's project.
 */
public final class Keypairs {
  private static final Pattern NAME = Pattern.compile("[_\\- a-zA-Z0-9]+");

  private final Database db;
  private final Clock clock;
  private final SecureRandom random;
  private final ComputeQuotas quotas;

  public Keypairs(Database db, Clock clock, SecureRandom random, ComputeQuotas quotas) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.random = requireNonNull(random, "random is null");
    this.quotas = requireNonNull(quotas, "quotas is null");
  }

  /** A generated keypair with its private key, which Kiln does not keep. */
  public record Created(Keypair keypair, String privateKey) {}

  /** One page of a user's keypairs, by name; {@code more} when keypairs follow it. */
  public record Page(List<Keypair> keypairs, boolean more) {}

  // For the servers service

  /** The user's keypair with this name, for a boot's {@code key_name}. */
  public Optional<Keypair> find(String userId, String name) {
    return userId == null || name == null ? Optional.empty() : store().find(userId, name);
  }

  // For the API

  /**
   * Generates an RSA keypair for {@code userId} (null: the actor) and answers it with the private
   * key.
   */
  public Created generate(Actor actor, String userId, String name, String type) {
    String owner = owner(actor, userId, "create");
    String checkedName = checkName(name);
    String checkedType = checkType(type);
    SshKeys.Generated key =
        checkedType.equals(Keypair.X509)
            // As Nova: a self-signed certificate naming the project, the user and the time.
            ? SshKeys.generateX509(random, actor.projectId() + "-" + owner + "-" + clock.instant().getEpochSecond(), clock.instant())
            : SshKeys.generateRsa(random);
    Keypair keypair = insert(actor, owner, checkedName, checkedType, key.fingerprint(), key.publicKey());
    return new Created(keypair, key.privateKeyPem());
  }

  /** Stores a public key (an OpenSSH key, or a PEM certificate for type x509) for the user. */
  public Keypair importKey(Actor actor, String userId, String name, String publicKey, String type) {
    requireNonNull(publicKey, "publicKey is null");
    String owner = owner(actor, userId, "create");
    String checkedName = checkName(name);
    String checkedType = checkType(type);
    String fingerprint;
    try {
      fingerprint =
          checkedType.equals(Keypair.X509) ? SshKeys.x509Fingerprint(publicKey) : SshKeys.fingerprint(publicKey);
    } catch (IllegalArgumentException e) {
      throw invalid(
          checkedType.equals(Keypair.X509)
              ? "failed to generate X509 fingerprint. Error message: " + e.getMessage()
              : "failed to generate fingerprint");
    }
    return insert(actor, owner, checkedName, checkedType, fingerprint, publicKey);
  }

  /** The user's keypairs by name, after {@code marker} (a name), at most {@code limit}. */
  public Page list(Actor actor, String userId, Integer limit, String marker) {
    String owner = owner(actor, userId, "index");
    KeypairStore store = store();
    if (marker != null && store.find(owner, marker).isEmpty()) {
      throw ServiceException.invalid("MarkerNotFound", "Marker " + marker + " could not be found.");
    }
    List<Keypair> page = store.list(owner, marker, limit == null ? null : limit + 1);
    boolean more = limit != null && page.size() > limit;
    return new Page(more ? List.copyOf(page.subList(0, limit)) : page, more);
  }

  public Keypair get(Actor actor, String userId, String name) {
    String owner = owner(actor, userId, "show");
    return store().find(owner, name).orElseThrow(() -> notFound(owner, name));
  }

  public void delete(Actor actor, String userId, String name) {
    String owner = owner(actor, userId, "delete");
    if (store().delete(owner, name) == 0) {
      throw notFound(owner, name);
    }
  }

  // Rules

  private Keypair insert(Actor actor, String owner, String name, String type, String fingerprint, String publicKey) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    try {
      return db.inTransaction(
          sql -> {
            // Counted and inserted under the user's quota lock, so racing creates never exceed it.
            quotas.reserveKeypair(sql, actor.projectId(), owner);
            KeypairStore store = new KeypairStore(sql);
            store.insert(owner, name, type, fingerprint, publicKey, now);
            return store.find(owner, name).orElseThrow();
          });
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw ServiceException.conflict("KeyPairExists", "Key pair '" + name + "' already exists.");
      }
      throw e;
    }
  }

  /** The user whose keypairs the actor means; only admins may name another user. */
  private static String owner(Actor actor, String userId, String action) {
    requireNonNull(actor, "actor is null");
    String owner = userId == null ? actor.userId() : userId;
    if (owner == null) {
      throw ServiceException.invalid("HTTPBadRequest", "Keypairs belong to a user: the token names none.");
    }
    if (!actor.admin() && !owner.equals(actor.userId())) {
      throw Flavors.policy("os_compute_api:os-keypairs:" + action);
    }
    return owner;
  }

  private static String checkName(String name) {
    requireNonNull(name, "name is null");
    if (name.isEmpty() || name.length() > 255) {
      throw invalid("Keypair name must be string and between 1 and 255 characters long");
    }
    if (!NAME.matcher(name).matches() || !name.strip().equals(name)) {
      throw invalid("Keypair name contains unsafe characters");
    }
    return name;
  }

  private static String checkType(String type) {
    if (type == null) {
      return Keypair.SSH;
    }
    if (!type.equals(Keypair.SSH) && !type.equals(Keypair.X509)) {
      throw invalid("type must be ssh or x509");
    }
    return type;
  }

  private static ServiceException invalid(String reason) {
    return ServiceException.invalid("InvalidKeypair", "Keypair data is invalid: " + reason);
  }

  private static ServiceException notFound(String userId, String name) {
    return ServiceException.notFound("KeypairNotFound", "Keypair " + name + " not found for user " + userId);
  }

  private KeypairStore store() {
    return new KeypairStore(db.sql());
  }
}
