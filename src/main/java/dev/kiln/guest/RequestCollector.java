package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** os-collect-config's request collector: a JSON object at a URL, read without credentials. */
final class RequestCollector implements MetadataCollector {
  private final GuestHttp http;
  private final String url;

  RequestCollector(GuestHttp http, String url) {
    this.http = requireNonNull(http, "http is null");
    this.url = requireNonNull(url, "url is null");
  }

  @Override
  public String name() {
    return "request";
  }

  @Override
  public JsonNode collect() throws GuestException {
    GuestHttp.Answer answer = http.send("GET", url, null, null);
    if (!answer.ok()) {
      throw new GuestException("metadata at the request URL not available (" + answer.status() + ")");
    }
    JsonNode metadata = answer.json();
    if (!metadata.isObject()) {
      throw new GuestException("the metadata at the request URL is not a JSON object");
    }
    return metadata;
  }
}
