package dev.kiln.objectstore.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.Metadata;
import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.StoredObject;
import dev.kiln.objectstore.StoredObjects;
import dev.kiln.objectstore.Timestamps;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /v1/<account>/<container>/<object>}: PUT (streamed, ETag checked, or a copy with {@code
 * X-Copy-From}), GET with ranges and conditions, HEAD, POST (replaces the metadata), DELETE and
 * COPY.
 */
final class ObjectRequests {
  private final StoredObjects objects;

  ObjectRequests(StoredObjects objects) {
    this.objects = requireNonNull(objects, "objects is null");
  }

  Answer handle(SwiftRequest r) {
    return switch (r.method()) {
      case "PUT" -> put(r);
      case "GET", "HEAD" -> get(r);
      case "POST" -> post(r);
      case "DELETE" -> {
        objects.delete(r.path().account(), r.path().container(), r.path().object());
        yield Answer.of(204);
      }
      case "COPY" -> copyTo(r);
      default -> throw new Refusal(
          Refusal.Kind.METHOD_NOT_ALLOWED, "An object takes PUT, GET, HEAD, POST, DELETE and COPY.");
    };
  }

  private Answer put(SwiftRequest r) {
    String account = r.path().account();
    long length = contentLength(r);
    Optional<String> copyFrom = r.header("X-Copy-From");
    if (copyFrom.isPresent()) {
      if (length > 0) {
        throw Refusal.badRequest("A copy (X-Copy-From) takes no body; send Content-Length: 0.");
      }
      String[] source = containerAndObject(copyFrom.get(), "X-Copy-From");
      StoredObject from = objects.head(account, source[0], source[1]);
      StoredObject copied = objects.copy(account, source[0], source[1], r.path().container(), r.path().object(),
          SwiftHeaders.metadataUpdate(r.raw(), "object"), r.header("Content-Type").orElse(null),
          SwiftRequest.isTrue(r.header("X-Fresh-Metadata").orElse(null)));
      return created(copied).headers(SwiftHeaders.objectMetadata(copied)).header("X-Copied-From", encode(source[0]) + "/" + encode(source[1]))
          .header("X-Copied-From-Last-Modified", Timestamps.httpDate(from.timestampMicros()));
    }
    boolean chunked = r.header("Transfer-Encoding").map(t -> t.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false);
    if (length < 0 && !chunked) {
      throw new Refusal(Refusal.Kind.LENGTH_REQUIRED, "An object PUT needs a Content-Length header or a chunked body.");
    }
    boolean ifNoneMatchAny = false;
    Optional<String> ifNoneMatch = r.header("If-None-Match");
    if (ifNoneMatch.isPresent()) {
      if (!ifNoneMatch.get().strip().equals("*")) {
        throw Refusal.badRequest("If-None-Match on a PUT takes only *.");
      }
      ifNoneMatchAny = true;
    }
    String etag = r.header("ETag").map(ObjectRequests::unquote).filter(e -> !e.isEmpty()).orElse(null);
    String contentType = SwiftRequest.isTrue(r.header("X-Detect-Content-Type").orElse(null))
        ? null
        : r.header("Content-Type").filter(t -> !t.isBlank()).orElse(null);
    Metadata metadata = Metadata.replacedBy(SwiftHeaders.metadataUpdate(r.raw(), "object"));
    Metadata kept = objects.keptHeaders(SwiftHeaders.all(r.raw()));
    StoredObject stored = objects.put(account, r.path().container(), r.path().object(),
        new StoredObjects.PutSpec(chunked ? -1 : length, etag, contentType, metadata, ifNoneMatchAny, kept), r.body());
    return created(stored);
  }

  private Answer copyTo(SwiftRequest r) {
    String destination = r.header("Destination")
        .orElseThrow(() -> Refusal.preconditionFailed("A COPY needs a Destination header: <container>/<object>."));
    Optional<String> otherAccount = r.header("Destination-Account");
    if (otherAccount.isPresent() && !otherAccount.get().equals(r.path().account())) {
      throw new Refusal(Refusal.Kind.FORBIDDEN, "Kiln copies objects only within one account.");
    }
    String[] target = containerAndObject(destination, "Destination");
    StoredObject from = objects.head(r.path().account(), r.path().container(), r.path().object());
    StoredObject copied = objects.copy(r.path().account(), r.path().container(), r.path().object(), target[0], target[1],
        SwiftHeaders.metadataUpdate(r.raw(), "object"), r.header("Content-Type").orElse(null),
        SwiftRequest.isTrue(r.header("X-Fresh-Metadata").orElse(null)));
    return created(copied).headers(SwiftHeaders.objectMetadata(copied))
        .header("X-Copied-From", encode(r.path().container()) + "/" + encode(r.path().object()))
        .header("X-Copied-From-Last-Modified", Timestamps.httpDate(from.timestampMicros()));
  }

  private static Answer created(StoredObject o) {
    return Answer.text(201, "text/html; charset=UTF-8", "")
        .header("Etag", o.etag())
        .header("Last-Modified", Timestamps.httpDate(o.timestampMicros()));
  }

  private Answer post(SwiftRequest r) {
    Metadata metadata = Metadata.replacedBy(SwiftHeaders.metadataUpdate(r.raw(), "object"));
    // A POST replaces the kept headers too (Swift's object server rebuilds them from the request).
    Metadata kept = objects.keptHeaders(SwiftHeaders.all(r.raw()));
    objects.updateMetadata(r.path().account(), r.path().container(), r.path().object(), metadata,
        r.header("Content-Type").filter(t -> !t.isBlank()).orElse(null), kept);
    return Answer.text(202, "text/html; charset=UTF-8", "");
  }

  private Answer get(SwiftRequest r) {
    StoredObject[] seen = new StoredObject[1];
    boolean[] partial = new boolean[1];
    StoredObjects.Read read;
    try {
      read = objects.read(r.path().account(), r.path().container(), r.path().object(), o -> {
        seen[0] = o;
        if (assembles(r, o)) {
          return new StoredObjects.Slice(0, 0); // the segments are read instead
        }
        Conditions.check(r, o);
        Optional<StoredObjects.Slice> range = r.isHead() ? Optional.empty() : Ranges.slice(r.header("Range"), o.size());
        partial[0] = range.isPresent();
        // A HEAD sends no bytes, so it opens none.
        return range.orElse(new StoredObjects.Slice(0, r.isHead() ? 0 : o.size()));
      });
    } catch (Refusal e) {
      if (e.kind() == Refusal.Kind.NOT_MODIFIED) {
        return Answer.of(304).headers(SwiftHeaders.object(seen[0], !r.viaTempUrl()));
      }
      if (e.kind() == Refusal.Kind.RANGE_NOT_SATISFIABLE) {
        throw new RangeRefusal(seen[0].size(), e.getMessage());
      }
      throw e;
    }
    StoredObject o = read.object();
    if (assembles(r, o)) {
      return dynamicLargeObject(r, o);
    }
    if (r.isHead()) {
      return Answer.stream(200, read.data(), o.size()).headers(SwiftHeaders.object(o, !r.viaTempUrl()));
    }
    Answer answer = Answer.stream(partial[0] ? 206 : 200, read.data(), read.slice().length())
        .headers(SwiftHeaders.object(o, !r.viaTempUrl()));
    if (partial[0]) {
      long first = read.slice().offset();
      answer.header("Content-Range", "bytes " + first + "-" + (first + read.slice().length() - 1) + "/" + o.size());
    }
    return answer;
  }

  /** Whether a GET or HEAD answers a dynamic large object's segments rather than its manifest. */
  private static boolean assembles(SwiftRequest r, StoredObject o) {
    return o.manifest() != null && !r.query("multipart-manifest").map("get"::equals).orElse(false);
  }

  /**
   * A dynamic large object (Swift's DLO): the manifest's headers with the segments' total length
   * and Swift's quoted ETag, and their bytes one after the other.
   */
  private Answer dynamicLargeObject(SwiftRequest r, StoredObject manifest) {
    String segments = SwiftPath.decode(manifest.manifest());
    String segmentContainer = (segments.startsWith("/") ? segments.substring(1) : segments).split("/", 2)[0];
    if (r.viaAcl() && !segmentContainer.equals(r.path().container())) {
      // The ACL that let this request in is this container's; it says nothing of another one.
      throw new Refusal(Refusal.Kind.FORBIDDEN,
          "This manifest's segments are in another container, which this container's ACL does not open.");
    }
    StoredObjects.Assembled assembled = objects.assemble(r.path().account(), segments);
    java.io.InputStream data = r.isHead() ? java.io.InputStream.nullInputStream() : objects.open(assembled);
    return Answer.stream(200, data, assembled.size())
        .headers(SwiftHeaders.object(manifest, !r.viaTempUrl()))
        .header("Etag", assembled.etag());
  }

  /** A 416, which carries the object's size for its {@code Content-Range: bytes *\/size}. */
  static final class RangeRefusal extends RuntimeException {
    final long size;

    RangeRefusal(long size, String message) {
      super(message, null, false, false);
      this.size = size;
    }
  }

  private static long contentLength(SwiftRequest r) {
    Optional<String> value = r.header("Content-Length");
    if (value.isEmpty()) {
      return -1;
    }
    try {
      long length = Long.parseLong(value.get().strip());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw Refusal.badRequest("Content-Length must be a whole number of bytes; got '" + value.get() + "'.");
    }
  }

  /** {@code container/object} or {@code /container/object}, percent-encoded, from a header. */
  private static String[] containerAndObject(String value, String header) {
    String path = value.startsWith("/") ? value.substring(1) : value;
    int slash = path.indexOf('/');
    if (slash <= 0 || slash == path.length() - 1) {
      throw Refusal.preconditionFailed(header + " must be <container>/<object>; got '" + value + "'.");
    }
    return new String[] {SwiftPath.decode(path.substring(0, slash)), SwiftPath.decode(path.substring(slash + 1))};
  }

  static String unquote(String etag) {
    String e = etag.strip();
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }

  static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }
}
