package dev.kiln.identity;

import static dev.kiln.common.ServiceException.conflict;
import static dev.kiln.common.ServiceException.invalid;
import static dev.kiln.common.ServiceException.notFound;
import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.identity.store.CredentialStore;
import dev.kiln.store.Database;
import dev.kiln.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * Keystone's credentials store. An {@code ec2} credential must name its project, and its id is the
 * SHA-256 of its access key (what an EC2 request is looked up by), so the API layer hands in the
 * access key it read from the blob.
 */
public final class UserCredentials {
  public static final String EC2 = "ec2";

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final Directory directory;

  public UserCredentials(Database db, Clock clock, IdGenerator ids, Directory directory) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.directory = requireNonNull(directory, "directory is null");
  }

  /**
   * Stores a credential.
   *
   * @param ec2Access the access key of an {@code ec2} blob (null for other types)
   */
  public UserCredential create(String userId, String projectId, String type, String blob, String ec2Access) {
    directory.user(userId);
    if (projectId != null) {
      directory.project(projectId);
    }
    String id = ids.hex();
    if (EC2.equals(type)) {
      if (projectId == null) {
        throw invalid("ValidationError", "An ec2 credential needs a project_id.");
      }
      if (ec2Access == null) {
        throw invalid("ValidationError", "An ec2 credential's blob needs an 'access' key.");
      }
      id = ec2Id(ec2Access);
    }
    UserCredential credential = new UserCredential(id, userId, projectId, type, blob, clock.instant());
    try {
      new CredentialStore(db.sql()).insert(credential);
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.DUPLICATE) {
        throw conflict(
            "Conflict", "Conflict occurred attempting to store credential - Duplicate ID, " + id + ".");
      }
      throw e;
    }
    return credential;
  }

  /**
   * Makes an EC2 key pair for a user on a project ({@code /v3/users/{id}/credentials/OS-EC2}):
   * a random access key and secret, stored as an {@code ec2} credential whose blob holds both.
   */
  public UserCredential createEc2(String userId, String projectId) {
    requireNonNull(projectId, "projectId is null");
    String access = ids.hex();
    String secret = ids.hex();
    // Both are hex digits: the blob needs no escaping.
    String blob =
        "{\"access\": \"" + access + "\", \"secret\": \"" + secret + "\", \"trust_id\": null}";
    return create(userId, projectId, EC2, blob, access);
  }

  /** A user's EC2 credential by its access key. */
  public UserCredential ec2(String userId, String access) {
    return new CredentialStore(db.sql())
        .find(ec2Id(access))
        .filter(c -> c.userId().equals(userId) && EC2.equals(c.type()))
        .orElseThrow(() -> notFound("CredentialNotFound", "Could not find EC2 credential: " + access + "."));
  }

  public UserCredential credential(String id) {
    return new CredentialStore(db.sql())
        .find(id)
        .orElseThrow(() -> notFound("CredentialNotFound", "Could not find credential: " + id + "."));
  }

  public List<UserCredential> credentials(ListFilter filter) {
    return new CredentialStore(db.sql()).list(filter);
  }

  /** Changes a credential's project, type or blob; null leaves one as it is. */
  public UserCredential update(String id, String projectId, String type, String blob) {
    UserCredential old = credential(id);
    if (projectId != null) {
      directory.project(projectId);
    }
    UserCredential updated =
        new UserCredential(
            id,
            old.userId(),
            projectId == null ? old.projectId() : projectId,
            type == null ? old.type() : type,
            blob == null ? old.blob() : blob,
            old.createdAt());
    if (EC2.equals(updated.type()) && updated.projectId() == null) {
      throw invalid("ValidationError", "An ec2 credential needs a project_id.");
    }
    new CredentialStore(db.sql()).update(updated);
    return updated;
  }

  public void delete(String id) {
    if (new CredentialStore(db.sql()).delete(id) == 0) {
      credential(id); // the 404
    }
  }

  /** An ec2 credential's id: the SHA-256 of its access key, in hex. */
  public static String ec2Id(String value) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
