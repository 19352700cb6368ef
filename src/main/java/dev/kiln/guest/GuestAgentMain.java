package dev.kiln.guest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One server's agent as a process of its own ({@code KILN_GUEST_MODE=process}): what a guest's
 * os-collect-config is, a program that shares nothing with the cloud but HTTP. Kiln starts it with
 * the server id, the sandbox root and the intervals as arguments and writes the server's user_data
 * (base64, one line) to its standard input, which it then keeps open: when Kiln goes, even by a
 * kill -9, the input ends and so does the agent, so no agent outlives its cloud.
 */
public final class GuestAgentMain {
  private GuestAgentMain() {}

  /** {@code <server id> <sandbox root> <polling interval ms> <script time limit ms>}; user_data on stdin. */
  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: GuestAgentMain <server id> <sandbox root> <polling interval ms> <script time limit ms>");
      System.exit(2);
    }
    String serverId = args[0];
    GuestAgents.Settings settings =
        new GuestAgents.Settings(
            Path.of(args[1]), Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])),
            Duration.ofMillis(500));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String userData = in.readLine();
    Optional<GuestBootstrap> bootstrap = GuestBootstrap.fromUserData(userData);
    if (bootstrap.isEmpty()) {
      System.err.println("server " + serverId + ": its user_data carries no os-collect-config bootstrap");
      System.exit(1);
    }
    try (GuestAgents agents = GuestAgents.create(settings, Clock.systemUTC())) {
      GuestAgent agent = agents.agent(serverId, bootstrap.get());
      Thread thread = Thread.ofPlatform().name("guest-agent-" + serverId).start(agent);
      awaitEndOfInput(in);
      agent.stop();
      thread.interrupt();
      thread.join(Duration.ofSeconds(10));
    }
    System.exit(0);
  }

  private static void awaitEndOfInput(BufferedReader in) {
    try {
      while (in.read() != -1) {
        // nothing more is sent: the input only tells that Kiln is still there
      }
    } catch (IOException gone) {
      // the pipe broke: Kiln is gone too
    }
  }
}
