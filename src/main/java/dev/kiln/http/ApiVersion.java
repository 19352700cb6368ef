package dev.kiln.http;

/** A microversion such as {@code 2.79}: a major and a minor number, ordered. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
  /** Stands for "this service has no microversions". */
  public static final ApiVersion NONE = new ApiVersion(0, 0);

  /** Parses {@code "2.79"}; anything else is a 400 naming the bad value. */
  public static ApiVersion parse(String text) {
    String[] parts = text.trim().split("\\.");
    if (parts.length != 2) {
      throw ApiError.badRequest(
          "Invalid API version '" + text + "': expected MAJOR.MINOR such as 2.1, or 'latest'.");
    }
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      if (major < 0 || minor < 0) {
        throw new NumberFormatException();
      }
      return new ApiVersion(major, minor);
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(
          "Invalid API version '" + text + "': expected MAJOR.MINOR such as 2.1, or 'latest'.");
    }
  }

  public boolean atLeast(int major, int minor) {
    return compareTo(new ApiVersion(major, minor)) >= 0;
  }

  @Override
  public int compareTo(ApiVersion other) {
    return major != other.major
        ? Integer.compare(major, other.major)
        : Integer.compare(minor, other.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
