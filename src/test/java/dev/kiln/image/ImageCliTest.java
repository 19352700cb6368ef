package dev.kiln.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.OpenStackCli;
import dev.kiln.testing.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Images driven by Debian's real {@code openstack} client (openstacksdk underneath). */
class ImageCliTest {
  @TempDir static Path work;
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static final OpenStackCli admin = kiln.adminCli();

  @Test
  void createListShowSetSaveDelete() throws Exception {
    byte[] data = new byte[200_000];
    new Random(11).nextBytes(data);
    Path file = work.resolve("img1.raw");
    Files.write(file, data);
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));

    JsonNode created =
        admin.json("image", "create", "--disk-format", "raw", "--container-format", "bare", "--file", file.toString(), "img1");
    assertThat(created.get("name").asText()).isEqualTo("img1");
    String id = created.get("id").asText();

    JsonNode shown = admin.json("image", "show", "img1");
    assertThat(shown.get("status").asText()).isEqualTo("active");
    assertThat(shown.get("checksum").asText()).isEqualTo(md5);
    assertThat(shown.get("size").asLong()).isEqualTo(data.length);
    assertThat(shown.get("disk_format").asText()).isEqualTo("raw");

    JsonNode list = admin.json("image", "list");
    assertThat(list.findValuesAsText("Name")).contains("cirros", "img1");
    assertThat(list.findValuesAsText("ID")).contains(id);

    JsonNode cirros = admin.json("image", "show", "cirros");
    assertThat(cirros.get("status").asText()).isEqualTo("active");
    assertThat(cirros.get("visibility").asText()).isEqualTo("public");
    assertThat(cirros.get("disk_format").asText()).isEqualTo("qcow2");
    assertThat(cirros.get("min_disk").asInt()).isEqualTo(1);

    admin.ok("image", "set", "--property", "os_distro=cirros", "--tag", "blue", "--min-ram", "128", "img1");
    JsonNode updated = admin.json("image", "show", "img1");
    assertThat(updated.toString()).contains("os_distro").contains("cirros");
    assertThat(updated.get("min_ram").asInt()).isEqualTo(128);
    assertThat(updated.get("tags").toString()).contains("blue");

    Path out = work.resolve("out");
    admin.ok("image", "save", "--file", out.toString(), "img1");
    assertThat(Files.readAllBytes(out)).isEqualTo(data);

    admin.ok("image", "delete", "img1");
    assertThat(admin.json("image", "list").findValuesAsText("Name")).doesNotContain("img1");
    assertThat(admin.run("image", "show", "img1").exitCode()).isNotZero();
  }

  @Test
  void sharingAnImageWithAnotherProjectWhichAcceptsIt() {
    Tenant owner = Tenant.create(kiln, kiln.admin(), "cliowner", "cliowneruser");
    Tenant consumer = Tenant.create(kiln, kiln.admin(), "cliconsumer", "cliconsumeruser");
    OpenStackCli ownerCli = owner.cli(kiln.authUrl());
    OpenStackCli consumerCli = consumer.cli(kiln.authUrl());
    String id = ownerCli.json("image", "create", "--disk-format", "raw", "--container-format", "bare", "--shared", "to-share")
        .get("id").asText();

    JsonNode member = ownerCli.json("image", "add", "project", id, consumer.projectId());
    assertThat(member.toString()).contains(consumer.projectId()).contains("pending");
    assertThat(consumerCli.json("image", "list").findValuesAsText("ID")).doesNotContain(id);

    consumerCli.ok("image", "set", "--accept", id);
    assertThat(consumerCli.json("image", "list").findValuesAsText("ID")).contains(id);
    JsonNode members = ownerCli.json("image", "member", "list", id);
    assertThat(members.toString()).contains(consumer.projectId()).contains("accepted");

    ownerCli.ok("image", "remove", "project", id, consumer.projectId());
    assertThat(consumerCli.json("image", "list").findValuesAsText("ID")).doesNotContain(id);
  }
}
