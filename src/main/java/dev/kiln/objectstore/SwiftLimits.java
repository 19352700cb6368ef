package dev.kiln.objectstore;

import java.nio.charset.StandardCharsets;

/**
 * Swift's default constraints (swift.conf {@code [swift-constraints]}), which Kiln enforces and
 * advertises at {@code /info}. Lengths are in UTF-8 bytes, as Swift counts them.
 */
public final class SwiftLimits {
  public static final int MAX_CONTAINER_NAME_LENGTH = 256;
  public static final int MAX_OBJECT_NAME_LENGTH = 1024;
  public static final int MAX_ACCOUNT_NAME_LENGTH = 256;
  public static final int MAX_META_NAME_LENGTH = 128;
  public static final int MAX_META_VALUE_LENGTH = 256;
  public static final int MAX_META_COUNT = 90;
  public static final int MAX_META_OVERALL_SIZE = 4096;
  public static final int MAX_HEADER_SIZE = 8192;
  public static final int LISTING_LIMIT = 10_000;
  /** 5 GiB and 2 bytes, Swift's largest single object. */
  public static final long MAX_FILE_SIZE = 5L * 1024 * 1024 * 1024 + 2;

  private SwiftLimits() {}

  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Refuses a container name Swift would refuse: empty, over the limit, or holding a slash. */
  public static void checkContainerName(String name) {
    if (name.isEmpty()) {
      throw Refusal.badRequest("A container name may not be empty.");
    }
    int length = utf8Length(name);
    if (length > MAX_CONTAINER_NAME_LENGTH) {
      throw Refusal.badRequest(
          "Container name is " + length + " bytes long; the most Swift takes is "
              + MAX_CONTAINER_NAME_LENGTH + ".");
    }
    checkText(name, "Container name");
  }

  /** Refuses an object name that is empty or over the limit. */
  public static void checkObjectName(String name) {
    if (name.isEmpty()) {
      throw Refusal.badRequest("An object name may not be empty.");
    }
    int length = utf8Length(name);
    if (length > MAX_OBJECT_NAME_LENGTH) {
      throw Refusal.badRequest(
          "Object name is " + length + " bytes long; the most Swift takes is "
              + MAX_OBJECT_NAME_LENGTH + ".");
    }
    checkText(name, "Object name");
  }

  /** Swift refuses NUL characters in names (412); so does Kiln, and unpaired surrogates too. */
  static void checkText(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0) {
        throw Refusal.preconditionFailed(what + " contains a NUL character.");
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw Refusal.preconditionFailed(what + " is not valid UTF-8.");
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw Refusal.preconditionFailed(what + " is not valid UTF-8.");
      }
    }
  }
}
