package dev.kiln.orchestration.resources.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's port move (shared/seeds/000): a stack whose {@code my_instance} has a port is updated
 * so that a new {@code my_instance2} takes the port while {@code my_instance} lists no networks,
 * then back — with the seed's templates as written (HOT 2013-05-23, {@code Ref}, no {@code
 * depends_on}, the port an {@code OS::Neutron::Port}). The port keeps its id, MAC and address
 * throughout and is never deleted; both updates end UPDATE_COMPLETE.
 */
class SeedPortMoveTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  // The seed's two templates as its author wrote them; the elided head ("……") declares the
  // version (HOT 2013-05-23 has Ref) and the three parameters.
  private static final String HEAD =
      """
      heat_template_version: 2013-05-23
      parameters:
        ImageId: {type: string}
        InstanceType: {type: string}
        Network: {type: string}
      """;

  private static final String ONE_SERVER =
      HEAD
          + """
          resources:
            my_instance:
              type: OS::Nova::Server
              properties:
                image: { get_param: ImageId }
                flavor: { get_param: InstanceType }
                networks: [ { "port" : {"Ref": "instacne_port"}}]

            instacne_port:
              type: OS::Neutron::Port
              properties:
                    PORT_NETWORK_KEY: { get_param: Network }
          """;

  private static final String TWO_SERVERS =
      HEAD
          + """
          resources:
            my_instance:
              type: OS::Nova::Server
              properties:
                image: { get_param: ImageId }
                flavor: { get_param: InstanceType }
            my_instance2:
              type: OS::Nova::Server
              properties:
                image: { get_param: ImageId }
                flavor: { get_param: InstanceType }
                networks: [ { "port" : {"Ref": "instacne_port"}}]

            instacne_port:
              type: OS::Neutron::Port
              properties:
                    PORT_NETWORK_KEY: { get_param: Network }
          """;

  @BeforeAll
  static void project() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "seed-000", "seed-000-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.50.0.0/24");
  }

  @Test
  void seedTemplatesAsWrittenMoveThePortBothWays() throws IOException {
    movesBothWays("network_id", "seed");
  }

  /** The seed's templates with the port's network under its current name, network. */
  @Test
  void withTheCurrentPropertyNameTooThePortMovesBothWays() throws IOException {
    movesBothWays("network", "seed-net");
  }

  private void movesBothWays(String networkKey, String stack) throws IOException {
    Files.writeString(dir.resolve(stack + "-one.yaml"), ONE_SERVER.replace("PORT_NETWORK_KEY", networkKey));
    Files.writeString(dir.resolve(stack + "-two.yaml"), TWO_SERVERS.replace("PORT_NETWORK_KEY", networkKey));
    String one = dir.resolve(stack + "-one.yaml").toString();
    String two = dir.resolve(stack + "-two.yaml").toString();
    String[] params = {"--parameter", "ImageId=cirros", "--parameter", "InstanceType=m1.tiny", "--parameter", "Network=private"};
    cli.ok(with(params, "stack", "create", "-t", one, "--wait", stack));
    String portId = physical(stack, "instacne_port");
    JsonNode port = cli.json("port", "show", portId);
    String first = physical(stack, "my_instance");
    assertPortOn(port, first);

    for (int round = 0; round < 3; round++) {
      cli.ok(with(params, "stack", "update", "-t", two, "--wait", stack));
      assertThat(cli.json("stack", "show", stack).get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
      assertThat(physical(stack, "my_instance")).as("my_instance is updated in place").isEqualTo(first);
      String second = physical(stack, "my_instance2");
      assertPortOn(port, second);
      assertThat(cli.json("server", "show", first).get("addresses").toString()).doesNotContain(ip(port));

      cli.ok(with(params, "stack", "update", "-t", one, "--wait", stack));
      assertThat(cli.json("stack", "show", stack).get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
      assertThat(physical(stack, "my_instance")).isEqualTo(first);
      assertPortOn(port, first);
      assertThat(cli.run("server", "show", second).exitCode()).as("my_instance2 is deleted").isNotZero();
    }
    assertThat(physical(stack, "instacne_port")).as("the port is never replaced").isEqualTo(portId);
    cli.ok("stack", "delete", "--yes", "--wait", stack);
    assertThat(cli.run("port", "show", portId).exitCode()).as("the stack's port goes with the stack").isNotZero();
  }

  private static void assertPortOn(JsonNode original, String serverId) {
    JsonNode now = cli.json("port", "show", original.get("id").asText());
    assertThat(now.get("device_id").asText()).isEqualTo(serverId);
    assertThat(now.get("mac_address").asText()).isEqualTo(original.get("mac_address").asText());
    assertThat(now.get("fixed_ips").toString()).isEqualTo(original.get("fixed_ips").toString());
    assertThat(cli.json("server", "show", serverId).get("addresses").toString()).contains(ip(original));
  }

  private static String ip(JsonNode port) {
    return port.get("fixed_ips").get(0).get("ip_address").asText();
  }

  private static String physical(String stack, String resource) {
    return cli.json("stack", "resource", "show", stack, resource).get("physical_resource_id").asText();
  }

  private static String[] with(String[] params, String... args) {
    String[] all = new String[args.length + params.length];
    System.arraycopy(args, 0, all, 0, args.length - 1);
    System.arraycopy(params, 0, all, args.length - 1, params.length);
    all[all.length - 1] = args[args.length - 1];
    return all;
  }
}
