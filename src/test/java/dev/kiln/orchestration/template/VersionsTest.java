package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.HEAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.common.ServiceException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionsTest {

  private static List<String> names(String version, boolean conditions) {
    return HEAT.functions(version, conditions).stream().map(TemplateFunction::name).toList();
  }

  @Test
  void everyVersionIsListedWithItsAliases() {
    assertThat(HEAT.versions()).extracting(TemplateVersion::version).containsExactly(
        "AWSTemplateFormatVersion.2010-09-09", "HeatTemplateFormatVersion.2012-12-12",
        "heat_template_version.2013-05-23", "heat_template_version.2014-10-16",
        "heat_template_version.2015-04-30", "heat_template_version.2015-10-15",
        "heat_template_version.2016-04-08", "heat_template_version.2016-10-14",
        "heat_template_version.2017-02-24", "heat_template_version.2017-09-01",
        "heat_template_version.2018-03-02", "heat_template_version.2018-08-31",
        "heat_template_version.2021-04-16");
    assertThat(HEAT.versions().get(11)).isEqualTo(new TemplateVersion(
        "heat_template_version.2018-08-31", "hot", List.of("heat_template_version.rocky")));
    assertThat(HEAT.versions().get(0).type()).isEqualTo("cfn");
  }

  @Test
  void eachVersionListsExactlyItsFunctions() {
    assertThat(names("heat_template_version.2013-05-23", false)).containsExactly("Fn::GetAZs", "get_param",
        "get_resource", "Ref", "get_attr", "Fn::Select", "Fn::Join", "list_join", "Fn::Split", "str_replace",
        "Fn::Replace", "Fn::Base64", "Fn::MemberListToMap", "resource_facade", "Fn::ResourceFacade", "get_file");
    assertThat(names("heat_template_version.2014-10-16", false)).containsExactly("get_attr", "get_file",
        "get_param", "get_resource", "list_join", "resource_facade", "str_replace", "Fn::Select");
    assertThat(names("heat_template_version.2015-10-15", false)).containsExactly("get_attr", "get_file",
        "get_param", "get_resource", "list_join", "repeat", "resource_facade", "str_replace", "digest", "str_split");
    assertThat(names("heat_template_version.rocky", false)).containsExactly("get_attr", "get_file", "get_param",
        "get_resource", "list_join", "repeat", "resource_facade", "str_replace", "digest", "str_split",
        "map_merge", "yaql", "map_replace", "if", "filter", "str_replace_strict", "make_url", "list_concat",
        "str_replace_vstrict", "list_concat_unique", "contains");
    assertThat(names("heat_template_version.newton", true)).contains("equals", "not", "and", "or")
        .doesNotContain("contains");
    assertThat(names("AWSTemplateFormatVersion.2010-09-09", false)).contains("Fn::If", "Ref", "Fn::FindInMap");
    assertThat(HEAT.functions("heat_template_version.2016-04-08", false))
        .allSatisfy(f -> assertThat(f.description()).isNotBlank());
  }

  @Test
  void unknownVersionsAreNotFound() {
    assertThatThrownBy(() -> HEAT.functions("heat_template_version.2020-01-01", false))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.kind()).isEqualTo(ServiceException.Kind.NOT_FOUND);
          assertThat(e.getMessage()).isEqualTo("Template with version heat_template_version.2020-01-01 not found");
        });
  }
}
