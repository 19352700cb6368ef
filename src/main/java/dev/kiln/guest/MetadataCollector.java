package dev.kiln.guest;

import com.fasterxml.jackson.databind.JsonNode;

/** One of os-collect-config's collectors: where an agent reads its server's metadata from. */
sealed interface MetadataCollector permits HeatCollector, RequestCollector, CfnCollector {
  /** The collector's name, as os-collect-config's (and its cache file's). */
  String name();

  /** The metadata now, a JSON object. */
  JsonNode collect() throws GuestException;
}
