package dev.kiln.objectstore;

/**
 * An object's record: its size, MD5 (the ETag), content type, last change and metadata, and the
 * blob that holds its bytes.
 *
 * @param timestampMicros when its data or metadata last changed (Swift's X-Timestamp)
 */
public record StoredObject(
    String account, String container, String name, long size, String etag, String contentType,
    long timestampMicros, Metadata metadata, String blobId) {

  public StoredObject withMetadata(Metadata newMetadata, String newContentType, long micros) {
    return new StoredObject(account, container, name, size, etag, newContentType, micros, newMetadata, blobId);
  }
}
