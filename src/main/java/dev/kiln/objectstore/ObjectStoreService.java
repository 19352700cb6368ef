package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.objectstore.store.AccountStore;
import dev.kiln.objectstore.store.Blobs;
import dev.kiln.objectstore.store.ContainerStore;
import dev.kiln.objectstore.store.ObjectRowStore;
import dev.kiln.store.Database;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Kiln's Object Storage (Swift v1). Other services use it through the plain operations below, by
 * project id, as Heat uses Swift for its temp-URL transports (POLL_TEMP_URL, TEMP_URL_SIGNAL).
 *
 * @param publicUrl where clients reach Kiln ({@code http://127.0.0.1:5000}), known once it listens
 */
public record ObjectStoreService(
    Accounts accounts, Containers containers, StoredObjects objects, TempUrls tempUrls, Supplier<String> publicUrl) {

  /**
   * Whether a failure is the database pool having no connection free in time: the service is
   * busy, not broken (its API answers 503 with Retry-After).
   */
  public static boolean databaseBusy(RuntimeException e) {
    return e instanceof dev.kiln.store.StoreException store
        && store.kind() == dev.kiln.store.StoreException.Kind.UNAVAILABLE;
  }

  /** Where the API answers, below the public URL. */
  public static final String PATH_PREFIX = "/object-store";

  public ObjectStoreService {
    requireNonNull(accounts, "accounts is null");
    requireNonNull(containers, "containers is null");
    requireNonNull(objects, "objects is null");
    requireNonNull(tempUrls, "tempUrls is null");
    requireNonNull(publicUrl, "publicUrl is null");
  }

  /**
   * Wires the service over one database; object bytes go under {@code dataDir/objects} on the
   * embedded store and into the database on PostgreSQL.
   */
  public static ObjectStoreService create(
      Database db, Clock clock, IdGenerator ids, SecureRandom random, Path dataDir, Supplier<String> publicUrl) {
    AccountStore accountStore = new AccountStore();
    ContainerStore containerStore = new ContainerStore(db.dialect());
    ObjectRowStore objectStore = new ObjectRowStore(db.dialect());
    Accounts accounts = new Accounts(db, clock, accountStore, containerStore);
    Containers containers = new Containers(db, clock, accountStore, containerStore, objectStore);
    StoredObjects objects =
        new StoredObjects(db, clock, ids, containerStore, objectStore, Blobs.choose(db, dataDir), accountStore);
    return new ObjectStoreService(
        accounts, containers, objects, new TempUrls(accounts, containers, clock, random), publicUrl);
  }

  /**
   * A temporary URL for {@code method} (GET, HEAD, PUT, POST or DELETE) on one object of the
   * project's account, valid until {@code expiresAt}, signed with HMAC-SHA256. Sets the account's
   * {@code Temp-URL-Key} first if it has none. Neither the container nor the object need exist yet
   * (a PUT URL creates the object; the container must exist by then).
   *
   * @return the absolute URL, e.g. {@code http://127.0.0.1:5000/object-store/v1/AUTH_p/c/o?temp_url_sig=…&temp_url_expires=…}
   */
  public String tempUrl(String projectId, String container, String object, String method, Instant expiresAt) {
    String account = Account.of(projectId);
    SwiftLimits.checkContainerName(container);
    SwiftLimits.checkObjectName(object);
    String query = tempUrls.sign(account, container, object, method, expiresAt);
    return publicUrl.get() + PATH_PREFIX + "/v1/" + account + "/" + encodePath(container) + "/"
        + encodePath(object) + "?" + query;
  }

  /** Creates the container in the project's account if it is not there; true when it was made. */
  public boolean ensureContainer(String projectId, String container) {
    return containers.create(Account.of(projectId), container, Metadata.Update.NONE);
  }

  /** Stores a small object from memory (overwriting any); answers its ETag. */
  public String putObject(String projectId, String container, String object, byte[] data, String contentType) {
    return objects
        .put(Account.of(projectId), container, object,
            new StoredObjects.PutSpec(data.length, null, contentType, Metadata.EMPTY, false),
            new ByteArrayInputStream(data))
        .etag();
  }

  /** A whole object's bytes, or empty when there is no such object (or container). */
  public Optional<byte[]> readObject(String projectId, String container, String object) {
    try {
      StoredObjects.Read read =
          objects.read(Account.of(projectId), container, object, o -> new StoredObjects.Slice(0, o.size()));
      try (InputStream in = read.data()) {
        return Optional.of(in.readAllBytes());
      }
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes an object; answers false when there was none. */
  public boolean deleteObject(String projectId, String container, String object) {
    try {
      objects.delete(Account.of(projectId), container, object);
      return true;
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the container and every object in it; answers false when there was no container. */
  public boolean deleteContainerAndObjects(String projectId, String container) {
    String account = Account.of(projectId);
    try {
      while (true) {
        var page = containers.listObjects(account, container, ListingQuery.all());
        if (page.isEmpty()) {
          break;
        }
        for (ListingEntry<StoredObject> entry : page) {
          deleteObject(projectId, container, entry.name());
        }
      }
      containers.delete(account, container);
      return true;
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  /** Deletes the container if it holds no object; false when it was not there or not empty. */
  public boolean deleteContainerIfEmpty(String projectId, String container) {
    try {
      containers.delete(Account.of(projectId), container);
      return true;
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_FOUND || e.kind() == Refusal.Kind.CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** Percent-encodes a name for a URL path, keeping its slashes. */
  static String encodePath(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/")
        .replace("%7E", "~");
  }
}
