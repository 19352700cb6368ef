package dev.kiln.objectstore;

/**
 * A Swift account ({@code AUTH_<project id>}) with its totals over all its containers.
 *
 * @param createdMicros when it was first written, or when it was read if it never was
 */
public record Account(
    String name, long createdMicros, Metadata metadata, long containerCount, long objectCount,
    long bytesUsed) {

  public static final String PREFIX = "AUTH_";

  /** The account of a project. */
  public static String of(String projectId) {
    return PREFIX + projectId;
  }

  /** The project an account belongs to, or null when the name is not {@code AUTH_<project>}. */
  public static String projectOf(String account) {
    return account.startsWith(PREFIX) && account.length() > PREFIX.length()
        ? account.substring(PREFIX.length())
        : null;
  }
}
