package dev.kiln.network;

import static dev.kiln.testing.Cloud.NET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A port create answers the port as it was stored, field for field what a GET of it shows next:
 * Networking builds that answer from the request rather than reading the port back.
 */
class PortCreateAnswerTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static String net;
  private static String v6Subnet;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "create-answer", "create-answer-user").api();
    net = RoutersApiTest.network(member, "answer-net");
    RoutersApiTest.subnet(member, net, "10.86.0.0/24");
    v6Subnet =
        member.post(NET + "/subnets", "{\"subnet\": {\"network_id\": \"" + net + "\", \"ip_version\": 6,"
                + " \"cidr\": \"2001:db8:86::/64\"}}")
            .expect(201).at("/subnet/id").asText();
  }

  @Test
  void aPlainPortAnswersWhatItsGetShows() {
    JsonNode created = member.post(NET + "/ports", "{\"port\": {\"network_id\": \"" + net + "\"}}").expect(201).get("port");
    assertThat(created.get("fixed_ips")).hasSize(2);
    assertThat(created.get("security_groups")).hasSize(1);
    assertThat(created).isEqualTo(member.get(NET + "/ports/" + created.get("id").asText()).expect(200).get("port"));
  }

  @Test
  void aPortWithEveryOptionAnswersWhatItsGetShows() {
    String first = group("answer-b");
    String second = group("answer-a");
    JsonNode created =
        admin.post(
                NET + "/ports",
                "{\"port\": {\"network_id\": \"" + net + "\", \"name\": \"every-option\", \"description\": \"all of it\","
                    + " \"project_id\": \"" + projectOf(first) + "\","
                    + " \"fixed_ips\": [{\"subnet_id\": \"" + v6Subnet + "\"}, {\"ip_address\": \"10.86.0.77\"}],"
                    + " \"security_groups\": [\"" + first + "\", \"" + second + "\", \"" + first + "\"],"
                    + " \"allowed_address_pairs\": [{\"ip_address\": \"10.86.1.0/24\"},"
                    + " {\"ip_address\": \"10.86.0.200\", \"mac_address\": \"fa:16:3e:00:00:01\"}],"
                    + " \"extra_dhcp_opts\": [{\"opt_name\": \"bootfile-name\", \"opt_value\": \"pxe\\tlinux.0\"},"
                    + " {\"opt_name\": \"dns-server\", \"opt_value\": \"2001:db8::1\", \"ip_version\": 6}],"
                    + " \"dns_name\": \"Answer-Host\", \"device_id\": \"vm-answer\", \"device_owner\": \"compute:nova\","
                    + " \"binding:host_id\": \"kiln-compute-1\", \"binding:profile\": {\"a\": [1, 2]},"
                    + " \"admin_state_up\": true}}")
            .expect(201).get("port");
    assertThat(created.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(created.at("/fixed_ips/1/ip_address").asText()).isEqualTo("10.86.0.77");
    assertThat(created.get("security_groups")).hasSize(2);
    assertThat(created.get("allowed_address_pairs")).hasSize(2);
    assertThat(created.get("extra_dhcp_opts")).hasSize(2);
    assertThat(created.get("binding:host_id").asText()).isEqualTo("kiln-compute-1");
    assertThat(created).isEqualTo(admin.get(NET + "/ports/" + created.get("id").asText()).expect(200).get("port"));
  }

  private static String group(String name) {
    return member.post(NET + "/security-groups", "{\"security_group\": {\"name\": \"" + name + "\"}}")
        .expect(201).at("/security_group/id").asText();
  }

  private static String projectOf(String group) {
    return member.get(NET + "/security-groups/" + group).expect(200).at("/security_group/project_id").asText();
  }
}
