package dev.kiln.orchestration.resources.network;

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
 * The seed's templates exactly as written (shared/seeds/000: the {@code instacne_port} is an
 * OS::Neutron::Port with the deprecated {@code network_id}): the port resource is neither updated,
 * replaced nor deleted when the update moves it to {@code my_instance2} and back; it keeps its id,
 * MAC and address, and only the servers change.
 */
class SeedPortResourceMoveTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  @TempDir static Path dir;
  private static OpenStackCli cli;
  private static String networkId;

  private static final String PARAMETERS =
      """
      heat_template_version: 2013-05-23
      parameters:
        ImageId: {type: string}
        InstanceType: {type: string}
        Network: {type: string}
      resources:
      """;

  private static final String PORT =
      """
        instacne_port:
          type: OS::Neutron::Port
          properties:
                network_id: { get_param: Network }
      """;

  private static final String ONE_SERVER =
      PARAMETERS
          + """
            my_instance:
              type: OS::Nova::Server
              properties:
                image: { get_param: ImageId }
                flavor: { get_param: InstanceType }
                networks: [ { "port" : {"Ref": "instacne_port"}}]
          """
          + PORT;

  private static final String TWO_SERVERS =
      PARAMETERS
          + """
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
          """
          + PORT;

  @BeforeAll
  static void project() throws IOException {
    Tenant member = Tenant.create(kiln, kiln.admin(), "seed-port", "seed-port-user");
    cli = member.cli(kiln.authUrl());
    networkId = Cloud.network(member.api(), "private", "10.60.0.0/24");
    Files.writeString(dir.resolve("one.yaml"), ONE_SERVER);
    Files.writeString(dir.resolve("two.yaml"), TWO_SERVERS);
  }

  @Test
  void thePortResourceSurvivesTheMoveThereAndBack() {
    String[] params = {"--parameter", "ImageId=cirros", "--parameter", "InstanceType=m1.tiny", "--parameter",
        "Network=" + networkId};
    cli.ok(with(params, "stack", "create", "-t", dir.resolve("one.yaml").toString(), "--wait", "seed"));
    JsonNode portResource = cli.json("stack", "resource", "show", "seed", "instacne_port");
    String portId = portResource.get("physical_resource_id").asText();
    JsonNode port = cli.json("port", "show", portId);
    String first = physical("my_instance");
    assertThat(port.get("device_id").asText()).isEqualTo(first);

    cli.ok(with(params, "stack", "update", "-t", dir.resolve("two.yaml").toString(), "--wait", "seed"));
    assertThat(cli.json("stack", "show", "seed").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    String second = physical("my_instance2");
    assertSamePort(port, second);

    cli.ok(with(params, "stack", "update", "-t", dir.resolve("one.yaml").toString(), "--wait", "seed"));
    assertThat(cli.json("stack", "show", "seed").get("stack_status").asText()).isEqualTo("UPDATE_COMPLETE");
    assertSamePort(port, first);

    cli.ok("stack", "delete", "--yes", "--wait", "seed");
    assertThat(cli.run("port", "show", portId).exitCode()).as("the stack's port goes with the stack").isNotZero();
  }

  private static void assertSamePort(JsonNode original, String serverId) {
    JsonNode resource = cli.json("stack", "resource", "show", "seed", "instacne_port");
    assertThat(resource.get("physical_resource_id").asText()).isEqualTo(original.get("id").asText());
    assertThat(resource.get("resource_status").asText()).as("the port resource was not touched")
        .isEqualTo("CREATE_COMPLETE");
    JsonNode now = cli.json("port", "show", original.get("id").asText());
    assertThat(now.get("device_id").asText()).isEqualTo(serverId);
    assertThat(now.get("mac_address").asText()).isEqualTo(original.get("mac_address").asText());
    assertThat(now.get("fixed_ips").toString()).isEqualTo(original.get("fixed_ips").toString());
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
