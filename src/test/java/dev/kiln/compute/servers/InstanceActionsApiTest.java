package dev.kiln.compute.servers;

import static dev.kiln.testing.Cloud.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.testing.Api;
import dev.kiln.testing.Cloud;
import dev.kiln.testing.KilnExtension;
import dev.kiln.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code os-instance-actions}: 2.58 paging and filtering, 2.21 actions of deleted servers. */
class InstanceActionsApiTest {
  @RegisterExtension static final KilnExtension kiln = KilnExtension.start();
  private static Api admin;
  private static Api member;
  private static Api stranger;
  private static String imageId;

  @BeforeAll
  static void start() {
    admin = kiln.admin();
    member = Tenant.create(kiln, admin, "acts", "actsuser").api();
    stranger = Tenant.create(kiln, admin, "other", "otheruser").api();
    imageId = Cloud.cirros(member);
  }

  private static Api at(Api api, String version) {
    return api.withHeader("OpenStack-API-Version", "compute " + version);
  }

  /** A server with five actions: create, then lock, unlock, lock, unlock. */
  private static String serverWithFiveActions() {
    String id =
        member.post(
            NOVA + "/servers",
            "{\"server\": {\"name\": \"acts\", \"flavorRef\": \"1\", \"imageRef\": \"" + imageId + "\"}}").expect(202)
            .at("/server/id").asText();
    for (String action : List.of("lock", "unlock", "lock", "unlock")) {
      member.post(NOVA + "/servers/" + id + "/action", "{\"" + action + "\": null}").expect(202);
    }
    return id;
  }

  private static List<String> requestIds(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("instanceActions").forEach(a -> ids.add(a.get("request_id").asText()));
    return ids;
  }

  private static String actions(String id) {
    return NOVA + "/servers/" + id + "/os-instance-actions";
  }

  @Test
  void limitAndMarkerWalkEveryActionNewestFirstFollowingTheNextLinks() {
    String id = serverWithFiveActions();
    JsonNode all = at(member, "2.58").get(actions(id)).expect(200);
    assertThat(all.get("instanceActions")).hasSize(5);
    assertThat(all.has("links")).isFalse();
    assertThat(all.at("/instanceActions/4/action").asText()).isEqualTo("create");
    assertThat(all.at("/instanceActions/0/action").asText()).isEqualTo("unlock");

    List<String> walked = new ArrayList<>();
    String path = actions(id) + "?limit=2";
    int pages = 0;
    while (path != null) {
      JsonNode page = at(member, "2.58").get(path).expect(200);
      assertThat(page.get("instanceActions").size()).isLessThanOrEqualTo(2);
      walked.addAll(requestIds(page));
      pages++;
      if (page.has("links")) {
        JsonNode next = page.at("/links/0");
        assertThat(next.get("rel").asText()).isEqualTo("next");
        String href = next.get("href").asText();
        assertThat(href).contains("limit=2").contains("marker=" + walked.getLast());
        path = href.substring(href.indexOf(NOVA));
      } else {
        path = null;
      }
    }
    assertThat(pages).isEqualTo(3);
    assertThat(walked).isEqualTo(requestIds(all));

    JsonNode afterSecond = at(member, "2.58").get(actions(id) + "?marker=" + walked.get(1)).expect(200);
    assertThat(requestIds(afterSecond)).isEqualTo(walked.subList(2, 5));
    assertThat(at(member, "2.58").get(actions(id) + "?limit=0").expect(200).get("instanceActions")).isEmpty();
    // Before 2.58 there is no paging: the parameters are ignored.
    assertThat(at(member, "2.57").get(actions(id) + "?limit=1").expect(200).get("instanceActions")).hasSize(5);
  }

  @Test
  void aMarkerThatIsNoActionOfTheServerIsABadRequest() {
    String id = serverWithFiveActions();
    Api.Response r = at(member, "2.58").get(actions(id) + "?marker=req-nope");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().at("/badRequest/message").asText()).isEqualTo("Marker req-nope could not be found.");
    assertThat(at(member, "2.58").get(actions(id) + "?limit=-1").status()).isEqualTo(400);
    assertThat(at(member, "2.58").get(actions(id) + "?limit=x").status()).isEqualTo(400);
  }

  @Test
  void changesSinceAndChangesBeforeFilterByUpdateTime() {
    String id = serverWithFiveActions();
    assertThat(at(member, "2.58").get(actions(id) + "?changes-since=2000-01-01T00:00:00Z").expect(200).get("instanceActions"))
        .hasSize(5);
    assertThat(at(member, "2.58").get(actions(id) + "?changes-since=2999-01-01T00:00:00").expect(200).get("instanceActions"))
        .isEmpty();
    assertThat(at(member, "2.66").get(actions(id) + "?changes-before=2000-01-01T00:00:00Z").expect(200).get("instanceActions"))
        .isEmpty();
    assertThat(at(member, "2.66").get(actions(id) + "?changes-before=2999-01-01T00:00:00Z").expect(200).get("instanceActions"))
        .hasSize(5);
    // changes-before arrives with 2.66; 2.58's schema refuses what it does not know.
    assertThat(at(member, "2.65").get(actions(id) + "?changes-before=2999-01-01T00:00:00Z").status()).isEqualTo(400);
    assertThat(at(member, "2.58").get(actions(id) + "?sort_key=x").status()).isEqualTo(400);
    Api.Response reversed =
        at(member, "2.66").get(actions(id) + "?changes-since=2020-01-02T00:00:00Z&changes-before=2020-01-01T00:00:00Z");
    assertThat(reversed.status()).isEqualTo(400);
    assertThat(reversed.json().at("/badRequest/message").asText()).contains("changes-since must be less than or equal");
    Api.Response notATime = at(member, "2.58").get(actions(id) + "?changes-since=yesterday");
    assertThat(notATime.status()).isEqualTo(400);
    assertThat(notATime.json().at("/badRequest/message").asText()).contains("is not a 'date-time'");
  }

  @Test
  void aDeletedServersActionsAreReadableFrom221ByItsProjectAndAdmins() {
    String id = serverWithFiveActions();
    Cloud.deleteServer(member, id);

    JsonNode list = at(member, "2.21").get(actions(id)).expect(200);
    assertThat(list.get("instanceActions")).hasSize(6);
    assertThat(list.at("/instanceActions/0/action").asText()).isEqualTo("delete");
    String deleteRequest = list.at("/instanceActions/0/request_id").asText();
    JsonNode shown = at(member, "2.21").get(actions(id) + "/" + deleteRequest).expect(200);
    assertThat(shown.at("/instanceAction/action").asText()).isEqualTo("delete");
    assertThat(shown.at("/instanceAction/instance_uuid").asText()).isEqualTo(id);
    assertThat(at(admin, "2.21").get(actions(id)).expect(200).get("instanceActions")).hasSize(6);
    assertThat(at(member, "2.58").get(actions(id) + "?limit=2").expect(200).has("links")).isTrue();

    Api.Response before221 = at(member, "2.20").get(actions(id));
    assertThat(before221.status()).isEqualTo(404);
    assertThat(before221.json().at("/itemNotFound/message").asText()).isEqualTo("Instance " + id + " could not be found.");
    assertThat(at(member, "2.20").get(actions(id) + "/" + deleteRequest).status()).isEqualTo(404);
    assertThat(at(stranger, "2.21").get(actions(id)).status()).isEqualTo(404);
    assertThat(at(stranger, "2.21").get(actions(id) + "/" + deleteRequest).status()).isEqualTo(404);
    assertThat(at(member, "2.21").get(actions("0b9c7f33-0000-4000-8000-000000000000")).status()).isEqualTo(404);
  }

  @Test
  void anotherProjectsLiveServerStaysHidden() {
    String id = serverWithFiveActions();
    assertThat(at(stranger, "2.21").get(actions(id)).status()).isEqualTo(404);
    assertThat(at(admin, "2.21").get(actions(id)).expect(200).get("instanceActions")).hasSize(5);
  }
}
