package dev.kiln.orchestration.resources.compute;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.compute.servers.BlockDevice;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The values OS::Nova::Server works from: marks on what it makes, its properties, its user data. */
class ServerValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void markSurvivesARoundTripWithAndWithoutItsOrigin() {
    HeatMark mark = HeatMark.of("stack-1", "my/odd#name", "row-b");
    assertThat(HeatMark.parse(mark.render())).contains(mark);
    HeatMark moved = mark.takenBy("row-c", "server-9");
    assertThat(moved.render()).isEqualTo("heat:stack-1/my/odd#name#row-c from row-b@server-9");
    assertThat(HeatMark.parse(moved.render())).contains(moved);
    assertThat(moved.sameResource(mark)).isTrue();
    assertThat(HeatMark.parse("a user's port")).isEmpty();
    assertThat(HeatMark.parse(null)).isEmpty();
  }

  @Test
  void networksEntriesReadAsHeatMeansThem() throws Exception {
    JsonNode props =
        JSON.readTree(
            """
            {"flavor": "1", "networks": [
              {"network": "private", "fixed_ip": "10.0.0.5", "tag": "nic0"},
              {"port": "p-1", "network": null},
              {"uuid": "net-old"},
              {"allocate_network": "auto"}],
             "metadata": {"n": 3, "s": "x", "m": {"a": 1}}}
            """);
    ServerProps p = ServerProps.of(props);
    assertThat(p.networks().get(0).madeByHeat()).isTrue();
    assertThat(p.networks().get(0).interfaceKey()).isEqualTo(p.networks().get(0).interfaceKey());
    assertThat(p.networks().get(1).madeByHeat()).isFalse();
    assertThat(p.networks().get(2).network()).isEqualTo("net-old");
    assertThat(p.networks().get(3).allocate()).isEqualTo("auto");
    assertThat(p.userPorts()).containsExactly("p-1");
    assertThat(p.metadata()).containsEntry("n", "3").containsEntry("s", "x").containsEntry("m", "{\"a\":1}");
    assertThat(p.userDataFormat()).isEqualTo("HEAT_CFNTOOLS");
  }

  @Test
  void volumeMappingsBootUnlessTheySayOtherwise() throws Exception {
    ServerProps p =
        ServerProps.of(
            JSON.readTree(
                """
                {"block_device_mapping_v2": [
                  {"volume_id": "v-root"},
                  {"volume_id": "v-data", "boot_index": -1, "device_name": "vdb"},
                  {"image": "cirros", "volume_size": 2, "boot_index": 1, "delete_on_termination": true}]}
                """));
    assertThat(p.volumes().get(0).mapping().bootIndex()).isEqualTo(0);
    assertThat(p.volumes().get(1).mapping().bootIndex()).isNull();
    assertThat(p.volumes().get(2).mapping().source()).isEqualTo(BlockDevice.Source.IMAGE);
    assertThat(p.volumes().get(2).mapping().deleteOnTermination()).isTrue();
    assertThat(p.volumeIds()).containsExactly("v-root", "v-data");
  }

  @Test
  void rawUserDataGoesUnchangedAndCfntoolsDataIsWrappedTheSameEveryTime() {
    assertThat(decode(UserData.encode("RAW", "#!/bin/sh\necho hi\n"))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(UserData.encode("RAW", "")).isNull();
    String wrapped = decode(UserData.encode("HEAT_CFNTOOLS", "echo hi"));
    assertThat(wrapped).startsWith("Content-Type: multipart/mixed").contains("filename=\"cfn-userdata\"").contains("echo hi");
    assertThat(UserData.encode("HEAT_CFNTOOLS", "echo hi")).isEqualTo(UserData.encode("HEAT_CFNTOOLS", "echo hi"));
    assertThat(decode(UserData.encode("SOFTWARE_CONFIG", ""))).doesNotContain("x-shellscript");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
