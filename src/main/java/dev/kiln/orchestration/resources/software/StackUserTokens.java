package dev.kiln.orchestration.resources.software;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.orchestration.resources.ResourceContext;
import dev.kiln.orchestration.resources.ResourceError;
import dev.kiln.orchestration.resources.WaitConditionHandle;
import dev.kiln.orchestration.software.StackUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A wait condition handle's token as Heat makes it: a stack user for the handle (only the {@code
 * heat_stack_user} role, in the stack's user project), and a Keystone token of that user scoped to
 * that project, asked of the cloud's Identity API as any client would. So the handle's {@code
 * curl_cli}, run by a server's script, passes the Orchestration API's token check and may signal
 * this stack only. The user goes with the handle.
 */
final class StackUserTokens implements WaitConditionHandle.Tokens {
  /** Made at first use, not when the engine is wired at start (the JDK client sets up TLS and a thread). */
  private static final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  private final StackUsers users;

  StackUserTokens(StackUsers users) {
    this.users = requireNonNull(users, "users is null");
  }

  @Override
  public String issue(ResourceContext context) throws Exception {
    StackUsers.Credentials user = users.ensure(context.stackId(), context.id(), context.physicalName(), context.random());
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode auth = body.putObject("auth");
    ObjectNode identity = auth.putObject("identity");
    identity.putArray("methods").add("password");
    identity.putObject("password").putObject("user").put("id", user.userId()).put("password", user.password());
    auth.putObject("scope").putObject("project").put("id", user.projectId());
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(SoftwareDeploymentResource.authUrl(context) + "/auth/tokens"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    String token = response.headers().firstValue("X-Subject-Token").orElse(null);
    if (response.statusCode() != 201 || token == null) {
      throw new ResourceError(
          "Error", "Identity refused a token for the handle's stack user (" + response.statusCode() + "): " + response.body());
    }
    return token;
  }

  /**
   * Heat's: the signal URL with the stack user project in place of the owner's, the project the
   * token is scoped to (the Orchestration API lets a stack user reach its own stack only so).
   */
  @Override
  public String endpoint(ResourceContext context) {
    String url = context.signalUrl();
    int at = url.indexOf("/heat-api/v1/");
    if (at < 0) {
      return url;
    }
    int start = at + "/heat-api/v1/".length();
    int end = url.indexOf('/', start);
    return url.substring(0, start) + StackUsers.projectIdOf(context.stackId()) + url.substring(end);
  }

  @Override
  public void release(ResourceContext context) {
    users.delete(context.id());
  }
}
