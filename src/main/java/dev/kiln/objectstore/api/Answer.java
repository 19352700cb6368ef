package dev.kiln.objectstore.api;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Swift handler answers: a status, headers, and a body of bytes or a stream of known length
 * (an object's data), or none. For HEAD the headers are sent as for GET and the body is not.
 */
record Answer(int status, Map<String, String> headers, byte[] bytes, InputStream stream, long streamLength) {

  static Answer of(int status) {
    return new Answer(status, new LinkedHashMap<>(), null, null, -1);
  }

  static Answer text(int status, String contentType, String body) {
    Answer a = new Answer(status, new LinkedHashMap<>(), body.getBytes(StandardCharsets.UTF_8), null, -1);
    a.headers.put("Content-Type", contentType);
    return a;
  }

  static Answer stream(int status, InputStream data, long length) {
    return new Answer(status, new LinkedHashMap<>(), null, data, length);
  }

  Answer header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Answer headers(Map<String, String> more) {
    headers.putAll(more);
    return this;
  }
}
