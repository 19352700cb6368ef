package dev.kiln.objectstore.api;

import static java.util.Objects.requireNonNull;

import dev.kiln.objectstore.Container;
import dev.kiln.objectstore.ContainerAcl;
import dev.kiln.objectstore.Containers;
import dev.kiln.objectstore.ListingEntry;
import dev.kiln.objectstore.Refusal;
import dev.kiln.objectstore.StoredObject;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code /v1/<account>/<container>}: PUT creates (201) or updates (202), HEAD and GET (the object
 * listing) show it, POST sets metadata, DELETE removes an empty one (409 otherwise).
 */
final class ContainerRequests {
  private final Containers containers;

  ContainerRequests(Containers containers) {
    this.containers = requireNonNull(containers, "containers is null");
  }

  Answer handle(SwiftRequest r) {
    String account = r.path().account();
    String name = r.path().container();
    return switch (r.method()) {
      case "PUT" -> {
        boolean created = containers.create(
            account, name, SwiftHeaders.metadataUpdate(r.raw(), "container"), aclUpdate(r));
        yield Answer.text(created ? 201 : 202, "text/html; charset=UTF-8", "");
      }
      case "HEAD" -> Answer.of(204).headers(headers(r, containers.show(account, name)))
          .header("Content-Type", "text/plain; charset=utf-8");
      case "GET" -> list(r, account, name);
      case "POST" -> {
        containers.updateMetadata(account, name, SwiftHeaders.metadataUpdate(r.raw(), "container"), aclUpdate(r));
        yield Answer.of(204);
      }
      case "DELETE" -> {
        containers.delete(account, name);
        yield Answer.of(204);
      }
      default -> throw new Refusal(
          Refusal.Kind.METHOD_NOT_ALLOWED, "A container takes PUT, HEAD, GET, POST and DELETE.");
    };
  }

  /** The container's headers; its ACLs only to its account's owner. */
  private static java.util.Map<String, String> headers(SwiftRequest r, Container c) {
    java.util.Map<String, String> h = SwiftHeaders.container(c);
    if (!r.viaAcl()) {
      if (c.readAcl() != null) {
        h.put("X-Container-Read", c.readAcl());
      }
      if (c.writeAcl() != null) {
        h.put("X-Container-Write", c.writeAcl());
      }
    }
    return h;
  }

  /** X-Container-Read/-Write (an empty value removes) and X-Remove-Container-Read/-Write. */
  private static ContainerAcl.Update aclUpdate(SwiftRequest r) {
    String read = r.header("X-Container-Read").map(String::strip).orElse(null);
    String write = r.header("X-Container-Write").map(String::strip).orElse(null);
    if (r.header("X-Remove-Container-Read").isPresent()) {
      read = "";
    }
    if (r.header("X-Remove-Container-Write").isPresent()) {
      write = "";
    }
    return new ContainerAcl.Update(read, write);
  }

  private Answer list(SwiftRequest r, String account, String name) {
    ListingBodies.Format format = ListingBodies.format(r.query("format"), r.header("Accept"));
    List<ListingEntry<StoredObject>> entries = containers.listObjects(account, name, r.listing());
    Container shown = containers.show(account, name);
    byte[] body = ListingBodies.objects(format, name, entries);
    int status = body.length == 0 ? 204 : 200;
    return new Answer(status, new LinkedHashMap<>(), status == 204 ? null : body, null, -1)
        .headers(headers(r, shown))
        .header("Content-Type", format.contentType);
  }
}
