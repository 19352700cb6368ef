package dev.kiln.http;

/** A microversion such as {@code 2.79}: a major and a minor number, ordered. */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
  /** Stands for "this service has no microversions". */
  public static final ApiVersion NONE = new ApiVersion(0, 0);

  /** Parses {@code "2.79"}; anything else is a 400 naming the bad value. */
  public static ApiVersion parse(String text) {
    String trimmed = text.trim();
    // ASCII digits only: Integer.parseInt alone would take "+2.5" and other scripts' digits.
    if (!trimmed.matches("[0-9]{1,9}\\.[0-9]{1,9}")) {
      throw ApiError.badRequest(
          "Invalid API version '" + text + "': expected MAJOR.MINOR such as 2.1, or 'latest'.");
    }
    int dot = trimmed.indexOf('.');
    return new ApiVersion(
        Integer.parseInt(trimmed.substring(0, dot)), Integer.parseInt(trimmed.substring(dot + 1)));
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
