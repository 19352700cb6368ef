package dev.kiln.objectstore.api;

import dev.kiln.http.Caller;
import dev.kiln.objectstore.ContainerAcl;
import dev.kiln.objectstore.Containers;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Whether a container's ACLs let in a request that is not the account owner's (another project's
 * user, or no token at all): reads of objects and listings by the read ACL, object PUT, POST and
 * DELETE by the write ACL. Nothing else (container changes, COPY, copies with X-Copy-From) is ever
 * allowed through an ACL, as in Swift's keystoneauth.
 */
final class ContainerAcls {
  private ContainerAcls() {}

  static boolean allow(
      Containers containers, ServerRequest req, String method, SwiftPath path, Optional<Caller> caller) {
    if (!path.isContainer() && !path.isObject()) {
      return false;
    }
    ContainerAcl acl = containers.acl(path.account(), path.container());
    if (acl.read() == null && acl.write() == null) {
      return false;
    }
    ContainerAcl.Requester who = caller
        .map(c -> new ContainerAcl.Requester(c.projectId(), c.projectName(), c.userId(), c.userName()))
        .orElse(ContainerAcl.Requester.ANONYMOUS);
    String referer = req.headers().first(HeaderNames.create("Referer")).orElse(null);
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (path.isContainer()) {
      return read && acl.allowsListing(who, referer);
    }
    if (read) {
      return acl.allowsRead(who, referer);
    }
    boolean copy = req.headers().contains(HeaderNames.create("X-Copy-From"));
    return !copy && (method.equals("PUT") || method.equals("POST") || method.equals("DELETE")) && acl.allowsWrite(who);
  }
}
