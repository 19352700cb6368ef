package dev.kiln.guest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;

/**
 * heat-config-notify: sends a deployment's outcome where its {@code deploy_signal_transport} input
 * says. {@code HEAT_SIGNAL}: a Keystone login with the {@code deploy_auth_url}, {@code
 * deploy_user_id}, {@code deploy_password} and {@code deploy_project_id} inputs, then a POST to
 * {@code /stacks/{deploy_stack_id}/resources/{deploy_resource_name}/signal}. {@code CFN_SIGNAL}
 * and {@code TEMP_URL_SIGNAL}: the body sent with {@code deploy_signal_verb} (POST unless PUT) to
 * the pre-signed URL in {@code deploy_signal_id}. {@code NO_SIGNAL}: nothing. With no transport
 * input, as heat-config-notify: a {@code deploy_signal_id} is a URL to signal, else a {@code
 * deploy_auth_url} means a Heat signal.
 */
final class DeploymentSignals {
  /** heat-config-notify keeps a signal under this many characters (Heat's body limit is 1 MiB). */
  static final int MAX_SIGNAL = 950_000;
  private static final int ATTEMPTS = 4;

  private final GuestHttp http;
  private final Clock clock;
  private final Duration backoff;

  DeploymentSignals(GuestHttp http, Clock clock, Duration backoff) {
    this.http = requireNonNull(http, "http is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.backoff = requireNonNull(backoff, "backoff is null");
  }

  /** The transport a deployment asks for. */
  static String transport(Deployment d) {
    return d.input("deploy_signal_transport")
        .filter(t -> !t.isEmpty())
        .orElseGet(() -> d.input("deploy_signal_id").isPresent()
            ? "CFN_SIGNAL"
            : d.input("deploy_auth_url").isPresent() ? "HEAT_SIGNAL" : "NO_SIGNAL");
  }

  /** Sends the signal, retrying a few times when the receiver is unreachable or answers 5xx. */
  void send(Deployment d, ObjectNode data) throws GuestException, InterruptedException {
    String body = trimmed(data).toString();
    String transport = transport(d);
    switch (transport) {
      case "NO_SIGNAL" -> {}
      case "HEAT_SIGNAL" -> withRetries(() -> heatSignal(d, body));
      case "CFN_SIGNAL", "TEMP_URL_SIGNAL" -> {
        String url = required(d, "deploy_signal_id");
        String verb = d.input("deploy_signal_verb").filter("PUT"::equals).orElse("POST");
        withRetries(() -> check(http.send(verb, url, null, body), "the signal URL"));
      }
      default -> throw new GuestException("signal transport " + transport + " is not supported by Kiln's agent");
    }
  }

  private GuestHttp.Answer heatSignal(Deployment d, String body) throws GuestException {
    KeystoneSession keystone =
        new KeystoneSession(
            http, clock, required(d, "deploy_auth_url"), required(d, "deploy_user_id"), required(d, "deploy_password"),
            required(d, "deploy_project_id"), d.input("deploy_region_name").filter(r -> !r.isEmpty()).orElse(null));
    String url = keystone.endpoint("orchestration") + "/stacks/" + HeatCollector.stackPath(required(d, "deploy_stack_id"))
        + "/resources/" + HeatCollector.segment(required(d, "deploy_resource_name")) + "/signal";
    return check(http.send("POST", url, keystone.token(), body), "the Heat signal");
  }

  private interface Attempt {
    GuestHttp.Answer run() throws GuestException;
  }

  private void withRetries(Attempt attempt) throws GuestException, InterruptedException {
    GuestException last = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      if (i > 0) {
        Thread.sleep(backoff.multipliedBy(1L << (i - 1)));
      }
      try {
        attempt.run();
        return;
      } catch (Refused e) {
        throw e; // the receiver said no: asking again changes nothing
      } catch (GuestException e) {
        last = e; // unreachable, or failed itself
      }
    }
    throw last;
  }

  /** A signal the receiver refused (4xx): not worth another try. */
  private static final class Refused extends GuestException {
    Refused(String message) {
      super(message);
    }
  }

  private static GuestHttp.Answer check(GuestHttp.Answer answer, String what) throws GuestException {
    if (answer.status() >= 500) {
      throw new GuestException(what + " answered " + answer.status());
    }
    if (!answer.ok()) {
 throw new Refused(what + " refused the signal (" + answer.status() + "): " + answer.body());
    }
    return answer;
  }

  private static String required(Deployment d, String input) throws GuestException {
    return d.input(input).filter(v -> !v.isEmpty())
        .orElseThrow(() -> new GuestException("deployment " + d.id() + " has no " + input + " input to signal with"));
  }

  /** The signal within {@link #MAX_SIGNAL} characters: stdout and stderr lose their beginnings first. */
  static ObjectNode trimmed(ObjectNode data) {
    int length = data.toString().length();
    if (length <= MAX_SIGNAL) {
      return data;
    }
    ObjectNode copy = data.deepCopy();
    int excess = length - MAX_SIGNAL;
    for (String key : new String[] {"deploy_stdout", "deploy_stderr"}) {
      String value = copy.path(key).asText("");
      int cut = (int) Math.min(value.length(), Math.ceil((double) value.length() / length * excess) + 1);
      copy.put(key, value.substring(cut));
    }
    return copy;
  }
}
