package dev.kiln.objectstore;

/**
 * A container with its exact object count and bytes used, and its ACLs.
 *
 * @param readAcl the X-Container-Read ACL as set, or null for none
 * @param writeAcl the X-Container-Write ACL as set, or null for none
 */
public record Container(
    String account, String name, long createdMicros, Metadata metadata, long objectCount,
    long bytesUsed, String readAcl, String writeAcl) {

  /** A container without ACLs. */
  public Container(
      String account, String name, long createdMicros, Metadata metadata, long objectCount, long bytesUsed) {
    this(account, name, createdMicros, metadata, objectCount, bytesUsed, null, null);
  }

  public ContainerAcl acl() {
    return new ContainerAcl(readAcl, writeAcl);
  }
}
