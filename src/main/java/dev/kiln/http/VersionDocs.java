package dev.kiln.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the version entries the OpenStack services answer at their roots. */
public final class VersionDocs {
  private VersionDocs() {}

  /**
   * One version entry.
   *
   * @param selfUrl the version's root URL, with a trailing slash as the services give it
   * @param mediaType the media type clients may ask for, or null for none
   */
  public static ObjectNode version(String id, String status, String updated, String selfUrl, String mediaType) {
    ObjectNode v = Json.object();
    v.put("id", id);
    v.put("status", status);
    if (updated != null) {
      v.put("updated", updated);
    }
    v.putArray("links").addObject().put("rel", "self").put("href", selfUrl);
    if (mediaType != null) {
      v.putArray("media-types").addObject().put("base", "application/json").put("type", mediaType);
    }
    return v;
  }

  /** Adds the microversion range a version entry advertises. */
  public static ObjectNode withMicroversions(ObjectNode version, Microversions range) {
    version.put("version", range.max().toString());
    version.put("min_version", range.min().toString());
    return version;
  }
}
