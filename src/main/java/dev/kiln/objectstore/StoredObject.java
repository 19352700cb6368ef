package dev.kiln.objectstore;

/**
 * An object's record: its size, MD5 (the ETag), content type, last change and metadata, the
 * headers Swift keeps with it, and the blob that holds its bytes.
 *
 * @param timestampMicros when its data or metadata last changed (Swift's X-Timestamp)
 * @param headers the headers kept with the object ({@link KeptHeaders}), lower-case names
 */
public record StoredObject(
    String account, String container, String name, long size, String etag, String contentType,
    long timestampMicros, Metadata metadata, String blobId, Metadata headers) {

  public StoredObject {
    headers = headers == null ? Metadata.EMPTY : headers;
  }

  /** An object with no kept headers. */
  public StoredObject(
      String account, String container, String name, long size, String etag, String contentType,
      long timestampMicros, Metadata metadata, String blobId) {
    this(account, container, name, size, etag, contentType, timestampMicros, metadata, blobId, Metadata.EMPTY);
  }

  public StoredObject withMetadata(Metadata newMetadata, String newContentType, long micros) {
    return new StoredObject(account, container, name, size, etag, newContentType, micros, newMetadata, blobId, headers);
  }

  public StoredObject withHeaders(Metadata newHeaders) {
    return new StoredObject(account, container, name, size, etag, contentType, timestampMicros, metadata, blobId, newHeaders);
  }

  /** When the object expires (X-Delete-At, seconds since the epoch), or null for never. */
  public Long deleteAt() {
    return KeptHeaders.deleteAt(headers);
  }

  /** Whether it has expired at {@code epochSecond}: Swift answers 404 for it from then on. */
  public boolean expiredAt(long epochSecond) {
    Long at = deleteAt();
    return at != null && at <= epochSecond;
  }

  /** The {@code container/prefix} of a dynamic large object's segments, or null for a plain object. */
  public String manifest() {
    return headers.get(KeptHeaders.MANIFEST);
  }
}
