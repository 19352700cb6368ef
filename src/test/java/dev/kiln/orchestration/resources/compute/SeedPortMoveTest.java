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
 * depends_on}). The port is made with {@code openstack port create} and passed as a parameter,
 * until the Networking types give {@code OS::Neutron::Port}. It keeps its id, MAC and address
 * throughout and is never deleted; both updates end UPDATE_COMPLETE.
 */
class SeedPortMoveTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;

  private static final String ONE_SERVER =
      """
      heat_template_version: 2013-05-23
      parameters:
        ImageId: {type: string}
        InstanceType: {type: string}
        Port: {type: string}
      resources:
        my_instance:
          type: OS::Nova::Server
          properties:
            image: { get_param: ImageId }
            flavor: { get_param: InstanceType }
            networks: [ { "port" : {"Ref": "Port"}}]
      """;

  private static final String TWO_SERVERS =
      """
      heat_template_version: 2013-05-23
      parameters:
        ImageId: {type: string}
        InstanceType: {type: string}
        Port: {type: string}
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
            networks: [ { "port" : {"Ref": "Port"}}]
      """;

  @BeforeAll
  static void project() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "seed-000", "seed-000-user");
    cli = member.cli(kiln.authUrl());
    Cloud.network(member.api(), "private", "10.50.0.0/24");
    Files.writeString(dir.resolve("one.yaml"), ONE_SERVER);
    Files.writeString(dir.resolve("two.yaml"), TWO_SERVERS);
  }

  @Test
  void portMovesToTheNewServerAndBackKeepingItsIdMacAndAddress() {
    JsonNode port = cli.json("port", "create", "--network", "private", "instacne_port");
    String portId = port.get("id").asText();
    String[] params = {"--parameter", "ImageId=cirros", "--parameter", "InstanceType=m1.tiny", "--parameter", "Port=" + portId};
    cli.ok(with(params, "stack", "create", "-t", dir.resolve("one.yaml").toString(), "--wait", "seed"));
    String first = physical("my_instance");
    assertPortOn(port, first);

    for (int round = 0; round < 3; round++) {
      cli.ok(with(params, "stack", "update", "-t", dir.resolve("two.yaml").toString(), "--wait", "seed"));
      assertThat(cli.json("stack", "show", "seed").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
      assertThat(physical("my_instance")).as("my_instance is updated in place").isEqualTo(first);
      String second = physical("my_instance2");
      assertPortOn(port, second);
      assertThat(cli.json("server", "show", first).get("addresses").toString()).doesNotContain(ip(port));

      cli.ok(with(params, "stack", "update", "-t", dir.resolve("one.yaml").toString(), "--wait", "seed"));
      assertThat(cli.json("stack", "show", "seed").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
      assertThat(physical("my_instance")).isEqualTo(first);
      assertPortOn(port, first);
      assertThat(cli.run("server", "show", second).exitCode()).as("my_instance2 is deleted").isNotZero();
    }
    cli.ok("stack", "delete", "--yes", "--wait", "seed");
    JsonNode kept = cli.json("port", "show", portId);
    assertThat(kept.get("device_id").asText()).isEmpty();
    assertThat(kept.get("mac_address").asText()).isEqualTo(port.get("mac_address").asText());
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

  private static String physical(String resource) {
    return cli.json("stack", "resource", "show", "seed", resource).get("physical_resource_id").asText();
  }

  private static String[] with(String[] params, String... args) {
    String[] all = new String[args.length + params.length];
    System.arraycopy(args, 0, all, 0, args.length - 1);
    System.arraycopy(params, 0, all, args.length - 1, params.length);
    all[all.length - 1] = args[args.length - 1];
    return all;
  }
}
