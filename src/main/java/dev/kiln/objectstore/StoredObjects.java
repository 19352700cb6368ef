package dev.kiln.objectstore;

import static java.util.Objects.requireNonNull;

import dev.kiln.common.IdGenerator;
import dev.kiln.objectstore.store.AccountStore;
import dev.kiln.objectstore.store.Blobs;
import dev.kiln.objectstore.store.ContainerStore;
import dev.kiln.objectstore.store.ObjectRowStore;
import dev.kiln.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Objects: their bytes stream into a new blob (hashed on the way, never held whole), then one short
 * transaction under the container's row lock points the object's row at it and adjusts the
 * container's totals; the blob it replaced is removed after the commit. A failed or refused upload
 * leaves nothing behind.
 */
public final class StoredObjects {
  private static final Logger LOG = LoggerFactory.getLogger(StoredObjects.class);
  /** How often a read retries when the blob it found was replaced before it could open it. */
  private static final int READ_ATTEMPTS = 3;

  private final Database db;
  private final Clock clock;
  private final IdGenerator ids;
  private final ContainerStore containers;
  private final ObjectRowStore objects;
  private final Blobs blobs;
  private final AccountStore accounts;

  StoredObjects(
      Database db, Clock clock, IdGenerator ids, ContainerStore containers, ObjectRowStore objects, Blobs blobs,
      AccountStore accounts) {
    this.db = requireNonNull(db, "db is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ids = requireNonNull(ids, "ids is null");
    this.containers = requireNonNull(containers, "containers is null");
    this.objects = requireNonNull(objects, "objects is null");
    this.blobs = requireNonNull(blobs, "blobs is null");
    this.accounts = requireNonNull(accounts, "accounts is null");
  }

  /**
   * What a PUT asks for besides the bytes.
   *
   * @param declaredLength the Content-Length, or -1 for a chunked body
   * @param expectedEtag the MD5 the client says it sends (the ETag header), or null
   * @param contentType the Content-Type, or null to guess it from the name
   * @param ifNoneMatchAny {@code If-None-Match: *}: refuse (412) if the object exists
   */
  public record PutSpec(
      long declaredLength, String expectedEtag, String contentType, Metadata metadata, boolean ifNoneMatchAny,
      Metadata headers) {
    public PutSpec {
      requireNonNull(metadata, "metadata is null");
      requireNonNull(headers, "headers is null");
    }

    /** A PUT with no kept headers ({@link KeptHeaders}). */
    public PutSpec(
        long declaredLength, String expectedEtag, String contentType, Metadata metadata, boolean ifNoneMatchAny) {
      this(declaredLength, expectedEtag, contentType, metadata, ifNoneMatchAny, Metadata.EMPTY);
    }
  }

  /** A byte range of an object: {@code length} bytes from {@code offset}. */
  public record Slice(long offset, long length) {}

  /** An object opened for reading, with the slice of it the stream holds. */
  public record Read(StoredObject object, Slice slice, InputStream data) {}

  public StoredObject put(String account, String container, String name, PutSpec spec, InputStream data) {
    SwiftLimits.checkObjectName(name);
    if (spec.declaredLength() > SwiftLimits.MAX_FILE_SIZE) {
      throw new Refusal(Refusal.Kind.TOO_LARGE, "The object is larger than " + SwiftLimits.MAX_FILE_SIZE + " bytes, the most Swift takes.");
    }
    // Refuse early what the commit would refuse, so a doomed upload is not read.
    containers.find(db.sql(), account, container).orElseThrow(() -> Containers.notFound(container));
    if (spec.ifNoneMatchAny() && objects.find(db.sql(), account, container, name).isPresent()) {
      throw Refusal.preconditionFailed("The object exists, and the request said If-None-Match: *.");
    }
    String blobId = ids.uuid();
    Blobs.Written written;
    try {
      written = blobs.write(blobId, data, SwiftLimits.MAX_FILE_SIZE);
    } catch (Blobs.TooLargeException e) {
      throw new Refusal(Refusal.Kind.TOO_LARGE, "The object is larger than " + SwiftLimits.MAX_FILE_SIZE + " bytes, the most Swift takes.");
    } catch (IOException | java.io.UncheckedIOException e) {
      throw Refusal.badRequest("The object's data could not be read to its end: " + e.getMessage());
    }
    try {
      if (spec.declaredLength() >= 0 && written.size() != spec.declaredLength()) {
        throw Refusal.badRequest(
            "The body has " + written.size() + " bytes; Content-Length said " + spec.declaredLength() + ".");
      }
      if (spec.expectedEtag() != null && !spec.expectedEtag().equalsIgnoreCase(written.md5())) {
        throw new Refusal(
            Refusal.Kind.UNPROCESSABLE,
            "The ETag header (" + spec.expectedEtag() + ") is not the MD5 of the data received ("
                + written.md5() + "); nothing was stored.");
      }
      String contentType = spec.contentType() == null ? ContentTypes.guess(name) : spec.contentType();
      StoredObject fresh =
          new StoredObject(account, container, name, written.size(), written.md5(), contentType,
              Timestamps.now(clock), spec.metadata(), blobId, spec.headers());
      Commit commit = db.inTransaction(sql -> {
        // With a quota, the account's row is locked first (the order container creates and deletes
        // take), so uploads racing into different containers are counted one after the other.
        long quota = accounts.find(sql, account).map(r -> AccountQuota.of(r.metadata())).orElse(-1L);
        if (quota >= 0) {
          quota = AccountQuota.of(accounts.lockOrCreate(sql, account, Timestamps.now(clock)).metadata());
        }
        containers.lock(sql, account, container).orElseThrow(() -> Containers.notFound(container));
        Optional<StoredObject> old = objects.find(sql, account, container, name);
        if (quota >= 0) {
          AccountQuota.check(quota, accounts.totals(sql, account)[2],
              fresh.size() - old.map(StoredObject::size).orElse(0L));
        }
        if (old.isEmpty()) {
          objects.insert(sql, fresh);
          containers.addToTotals(sql, account, container, 1, fresh.size());
          return new Commit(fresh, null);
        }
        if (spec.ifNoneMatchAny()) {
          throw Refusal.preconditionFailed("The object exists, and the request said If-None-Match: *.");
        }
        // A later change always shows a later X-Timestamp, even within one clock tick.
        StoredObject stored = fresh.timestampMicros() > old.get().timestampMicros()
            ? fresh
            : fresh.withMetadata(fresh.metadata(), fresh.contentType(), old.get().timestampMicros() + 10);
        objects.replace(sql, stored);
        containers.addToTotals(sql, account, container, 0, stored.size() - old.get().size());
        return new Commit(stored, old.get().blobId());
      });
      removeQuietly(commit.replacedBlob());
      return commit.object();
    } catch (RuntimeException e) {
      removeQuietly(blobId);
      throw e;
    }
  }

  private record Commit(StoredObject object, String replacedBlob) {}

  /**
   * The object's record; 404 when there is none or it has expired (X-Delete-At), as Swift answers
   * from the moment of expiry. An expired object found here is removed on the way.
   */
  public StoredObject head(String account, String container, String name) {
    StoredObject found =
        objects.find(db.sql(), account, container, name).orElseThrow(() -> notFound(container, name));
    if (found.expiredAt(clock.instant().getEpochSecond())) {
      removeExpired(found);
      throw notFound(container, name);
    }
    return found;
  }

  /** Removes an expired object unless it changed meanwhile; Swift's object expirer does this. */
  private void removeExpired(StoredObject expired) {
    boolean removed = db.inTransaction(sql -> {
      if (containers.lock(sql, expired.account(), expired.container()).isEmpty()
          || !objects.deleteIfUnchanged(
              sql, expired.account(), expired.container(), expired.name(), expired.timestampMicros())) {
        return false;
      }
      containers.addToTotals(sql, expired.account(), expired.container(), -1, -expired.size());
      return true;
    });
    if (removed) {
      removeQuietly(expired.blobId());
    }
  }

  /**
   * Opens the object for reading. {@code plan} sees the object first and picks the slice (it may
   * refuse: a range that cannot be satisfied, a condition that fails).
   */
  public Read read(String account, String container, String name, Function<StoredObject, Slice> plan) {
    for (int attempt = 1; ; attempt++) {
      StoredObject object = head(account, container, name);
      Slice slice = plan.apply(object);
      Optional<InputStream> data = slice.length() == 0
          ? Optional.of(InputStream.nullInputStream())
          : blobs.open(object.blobId(), slice.offset(), slice.length());
      if (data.isPresent()) {
        return new Read(object, slice, data.get());
      }
      if (attempt == READ_ATTEMPTS) {
        throw notFound(container, name);
      }
      // Overwritten or deleted between reading the row and opening its blob: look again.
    }
  }

  public void delete(String account, String container, String name) {
    StoredObject removed = db.inTransaction(sql -> {
      containers.lock(sql, account, container).orElseThrow(() -> notFound(container, name));
      StoredObject old = objects.find(sql, account, container, name)
          .filter(o -> !o.expiredAt(clock.instant().getEpochSecond()))
          .orElseThrow(() -> notFound(container, name));
      objects.delete(sql, account, container, name);
      containers.addToTotals(sql, account, container, -1, -old.size());
      return old;
    });
    removeQuietly(removed.blobId());
  }

  /**
   * Replaces the object's metadata with {@code metadata} (a Swift object POST keeps none of the
   * old), and its content type when one is given.
   */
  public StoredObject updateMetadata(String account, String container, String name, Metadata metadata, String contentType) {
    return updateMetadata(account, container, name, metadata, contentType, null);
  }

  /**
   * Like {@link #updateMetadata(String, String, String, Metadata, String)}, also replacing the
   * kept headers ({@link KeptHeaders}) with {@code headers} unless it is null.
   */
  public StoredObject updateMetadata(
      String account, String container, String name, Metadata metadata, String contentType, Metadata headers) {
    return db.inTransaction(sql -> {
      containers.lock(sql, account, container).orElseThrow(() -> notFound(container, name));
      StoredObject old = objects.find(sql, account, container, name)
          .filter(o -> !o.expiredAt(clock.instant().getEpochSecond()))
          .orElseThrow(() -> notFound(container, name));
      long now = Math.max(Timestamps.now(clock), old.timestampMicros() + 10);
      StoredObject updated = old.withMetadata(metadata, contentType == null ? old.contentType() : contentType, now);
      if (headers != null) {
        updated = updated.withHeaders(headers);
      }
      objects.replace(sql, updated);
      return updated;
    });
  }

  /**
   * Copies an object (Swift's COPY and {@code X-Copy-From}): the source's bytes are streamed into a
   * new blob for the destination, which gets the source's content type and metadata with {@code
   * update} applied, or only {@code update}'s when {@code freshMetadata}.
   */
  public StoredObject copy(
      String account, String fromContainer, String fromName, String toContainer, String toName,
      Metadata.Update update, String contentType, boolean freshMetadata) {
    SwiftLimits.checkObjectName(toName);
    Read source = read(account, fromContainer, fromName, o -> new Slice(0, o.size()));
    try (InputStream data = source.data()) {
      StoredObject from = source.object();
      Metadata metadata = freshMetadata ? Metadata.replacedBy(update) : from.metadata().merge(update);
      return put(account, toContainer, toName,
          new PutSpec(from.size(), null, contentType == null ? from.contentType() : contentType, metadata, false,
              KeptHeaders.copied(from.headers())), data);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The kept headers ({@link KeptHeaders}) of a request's headers, an X-Delete-After counted from now. */
  public Metadata keptHeaders(List<java.util.Map.Entry<String, String>> headers) {
    return KeptHeaders.fromRequest(headers, clock);
  }

  /** Most segments a dynamic large object is assembled from, as Swift's DLO reads at most this many. */
  static final int MAX_SEGMENTS = 10_000;

  /** A dynamic large object: its segments in name order, their total size and Swift's ETag for it. */
  public record Assembled(List<StoredObject> segments, long size, String etag) {}

  /**
   * The segments a manifest ({@code X-Object-Manifest: container/prefix}, already percent-decoded)
   * names: the live objects of that container whose names start with the prefix, in name order.
   * Its ETag is the MD5 of the segments' ETags, quoted, as Swift's DLO gives it.
   */
  public Assembled assemble(String account, String manifest) {
    String m = manifest.startsWith("/") ? manifest.substring(1) : manifest;
    int slash = m.indexOf('/');
    String container = m.substring(0, slash);
    String prefix = m.substring(slash + 1);
    long now = clock.instant().getEpochSecond();
    List<StoredObject> segments = objects.page(db.sql(), account, container,
            new NameRange(prefix, null, false, null, false, MAX_SEGMENTS)).stream()
        .filter(o -> !o.expiredAt(now))
        .toList();
    long size = 0;
    java.security.MessageDigest md5;
    try {
      md5 = java.security.MessageDigest.getInstance("MD5");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
    for (StoredObject segment : segments) {
      size += segment.size();
      md5.update(segment.etag().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return new Assembled(segments, size, "\"" + java.util.HexFormat.of().formatHex(md5.digest()) + "\"");
  }

  /** The bytes of the segments one after the other, each blob opened only when reached. */
  public InputStream open(Assembled assembled) {
    java.util.Iterator<StoredObject> next = assembled.segments().iterator();
    return new java.io.SequenceInputStream(new java.util.Enumeration<InputStream>() {
      @Override
      public boolean hasMoreElements() {
        return next.hasNext();
      }

      @Override
      public InputStream nextElement() {
        StoredObject segment = next.next();
        // A segment replaced or deleted since the listing reads as nothing, as Swift's does.
        return segment.size() == 0
            ? InputStream.nullInputStream()
            : blobs.open(segment.blobId(), 0, segment.size()).orElse(InputStream.nullInputStream());
      }
    });
  }

  private void removeQuietly(String blobId) {
    if (blobId == null) {
      return;
    }
    try {
      blobs.delete(blobId);
    } catch (RuntimeException e) {
      // The row no longer names it; a stray blob costs space, not correctness.
      LOG.warn("Could not remove blob {}: {}", blobId, e.toString());
    }
  }

  static Refusal notFound(String container, String name) {
    return Refusal.notFound("There is no object " + name + " in container " + container + ".");
  }
}
