package dev.kiln.objectstore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.objectstore.Metadata;
import java.util.Map;

/** Metadata as it is kept in a TEXT column: one JSON object of names to values. */
final class MetadataCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

  private MetadataCodec() {}

  static String encode(Metadata metadata) {
    try {
      return JSON.writeValueAsString(metadata.entries());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always encodes", e);
    }
  }

  static Metadata decode(String text) {
    if (text == null || text.isEmpty() || text.equals("{}")) {
      return Metadata.EMPTY;
    }
    try {
      return new Metadata(JSON.readValue(text, MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored metadata is not a JSON object: " + text, e);
    }
  }
}
