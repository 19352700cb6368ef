package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static dev.kiln.orchestration.template.Snippets.eval;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HotFunctionsTest {

  @BeforeEach
  void liveResource() {
    ATTRS.put("r", json("{\"output\": \"out\", \"details\": {\"ips\": [\"10.0.0.1\", \"10.0.0.2\"]}}"));
  }

  @Test
  void getParamReadsTypedValuesAndWalksPaths() {
    assertThat(eval("2018-08-31", "{get_param: count}")).isEqualTo(J.numberNode(2));
    assertThat(eval("2018-08-31", "{get_param: zones}")).isEqualTo(json("[\"az1\", \"az2\"]"));
    assertThat(eval("2018-08-31", "{get_param: [config, a, b, 1]}")).isEqualTo(J.numberNode(20));
    assertThat(eval("2018-08-31", "{get_param: [zones, 0]}")).isEqualTo(J.textNode("az1"));
    assertThat(eval("2018-08-31", "{get_param: [config, missing]}")).isEqualTo(J.textNode(""));
    assertThat(eval("2018-08-31", "{get_param: flag}")).isEqualTo(J.booleanNode(true));
    assertThat(eval("2018-08-31", "{get_param: OS::stack_id}")).isEqualTo(J.textNode("stack-id-1"));
    assertThat(eval("2018-08-31", "{get_param: OS::project_id}")).isEqualTo(J.textNode("project-1"));
  }

  @Test
  void getParamOfAnUndefinedParameterIsRefused() {
    refused(() -> eval("2018-08-31", "{get_param: nope}"), "StackValidationFailed",
        "resources.probe.metadata.out.get_param: The Parameter (nope) was not provided.");
  }

  @Test
  void getAttrWalksAttributePaths() {
    assertThat(eval("2018-08-31", "{get_attr: [r, output]}")).isEqualTo(J.textNode("out"));
    assertThat(eval("2018-08-31", "{get_attr: [r, details, ips, 1]}")).isEqualTo(J.textNode("10.0.0.2"));
    assertThat(eval("2018-08-31", "{get_attr: [r, details, nope]}").isNull()).isTrue();
    assertThat(eval("2013-05-23", "{get_attr: [r, details, ips, 0]}")).isEqualTo(J.textNode("10.0.0.1"));
  }

  @Test
  void getAttrWithOnlyAResourceNameIsAllAttributesFrom20151015() {
    assertThat(eval("2015-10-15", "{get_attr: [r]}").get("output")).isEqualTo(J.textNode("out"));
    refused(() -> eval("2015-04-30", "{get_attr: [r]}"), "StackValidationFailed",
        "resources.probe.metadata.out.get_attr: Arguments to \"get_attr\" must be of the form [resource_name, attribute, (path), ...]");
  }

  @Test
  void getAttrOfAnAttributeTheTypeDoesNotHaveIsRefused() {
    refused(() -> eval("2018-08-31", "{get_attr: [r, nope]}"), "StackValidationFailed",
        "resources.probe.metadata.out.get_attr: The Referenced Attribute (r nope) is incorrect.");
    assertThat(eval("2018-08-31", "{get_attr: [r, show]}").isNull()).isTrue();
  }

  @Test
  void getResourceIsThePhysicalId() {
    assertThat(eval("2018-08-31", "{get_resource: r}")).isEqualTo(J.textNode("r-id"));
  }

  @Test
  void strReplacePrefersLongerKeysAndNeverRescansReplacedText() {
    assertThat(eval("2018-08-31",
        "{str_replace: {template: 'var_long var', params: {var: X, var_long: Y}}}"))
        .isEqualTo(J.textNode("Y X"));
    assertThat(eval("2018-08-31", "{str_replace: {template: 'ab', params: {a: b, b: c}}}"))
        .isEqualTo(J.textNode("bc"));
    assertThat(eval("2018-08-31", "{str_replace: {template: 'n=$n', params: {$n: {get_param: count}}}}"))
        .isEqualTo(J.textNode("n=2"));
  }

  @Test
  void strReplaceSubstitutesMapsAsJsonFrom20151015Only() {
    assertThat(eval("2015-10-15", "{str_replace: {template: 'c=C', params: {C: {get_param: config}}}}"))
        .isEqualTo(J.textNode("c={\"a\": {\"b\": [10, 20]}}"));
    refused(() -> eval("2015-04-30", "{str_replace: {template: 'c=C', params: {C: {get_param: config}}}}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.str_replace: \"str_replace\" params must be strings or numbers, param C is not valid");
  }

  @Test
  void strReplaceStrictRefusesKeysNotInTheTemplate() {
    assertThat(eval("2017-02-24", "{str_replace_strict: {template: 'a', params: {a: b}}}"))
        .isEqualTo(J.textNode("b"));
    refused(() -> eval("2017-02-24", "{str_replace_strict: {template: 'a', params: {a: b, zz: c, q: d}}}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.str_replace_strict: The following params were not found in the template: zz,q");
  }

  @Test
  void strReplaceVeryStrictRefusesEmptyValues() {
    refused(() -> eval("2017-09-01", "{str_replace_vstrict: {template: 'a', params: {a: ''}}}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.str_replace_vstrict: str_replace_vstrict has an undefined or empty value for"
            + " param a, must be a defined non-empty value");
  }

  @Test
  void strReplaceWithoutParamsIsRefusedWhenParsed() {
    refused(() -> Fixtures.parse(Snippets.template("2018-08-31", "{str_replace: {template: x}}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.str_replace: \"str_replace\" syntax should be str_replace:\n"
            + "              template: This is var1 template var2\n"
            + "              params:\n"
            + "                var1: a\n"
            + "                var2: string");
  }

  @Test
  void listJoinTakesSeveralListsAndJoinsMapsAsJsonFrom20151015() {
    assertThat(eval("2015-10-15", "{list_join: [',', [a, b], [c]]}")).isEqualTo(J.textNode("a,b,c"));
    assertThat(eval("2015-10-15", "{list_join: [',', [{k: v}]]}")).isEqualTo(J.textNode("{\"k\": \"v\"}"));
    refused(() -> Fixtures.parse(Snippets.template("2015-04-30", "{list_join: [',', [a], [c]]}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.list_join: Incorrect arguments to \"list_join\" should be: \"list_join\" : [ \" \", [ \"str1\", \"str2\"]]");
    refused(() -> eval("2015-04-30", "{list_join: [',', [{k: v}]]}"), "StackValidationFailed",
        "resources.probe.metadata.out.list_join: Items to join must be strings not {'k': 'v'}");
  }

  @Test
  void repeatIteratesAllCombinations() {
    assertThat(eval("2015-04-30", "{repeat: {template: '%a%-%b%', for_each: {'%a%': [x, y], '%b%': ['1', '2']}}}"))
        .isEqualTo(json("[\"x-1\", \"x-2\", \"y-1\", \"y-2\"]"));
    assertThat(eval("2016-10-14", "{repeat: {template: {port: '%p%'}, for_each: {'%p%': {get_param: zones}}}}"))
        .isEqualTo(json("[{\"port\": \"az1\"}, {\"port\": \"az2\"}]"));
  }

  @Test
  void repeatOverMapKeysFrom20161014() {
    assertThat(eval("2016-10-14", "{repeat: {template: k=%k%, for_each: {'%k%': {a: 1, b: 2}}}}"))
        .isEqualTo(json("[\"k=a\", \"k=b\"]"));
    refused(() -> eval("2016-04-08", "{repeat: {template: k=%k%, for_each: {'%k%': {a: 1}}}}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.repeat: The values of the \"for_each\" argument to \"repeat\" must be lists");
  }

  @Test
  void repeatWithoutPermutationsPairsItemsFrom20170901() {
    assertThat(eval("2017-09-01",
        "{repeat: {template: '%a%-%b%', for_each: {'%a%': [x, y], '%b%': ['1', '2']}, permutations: false}}"))
        .isEqualTo(json("[\"x-1\", \"y-2\"]"));
    refused(() -> eval("2017-09-01",
        "{repeat: {template: '%a%', for_each: {'%a%': [x, y], '%b%': ['1']}, permutations: false}}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.repeat: For repeat, the length of for_each values should be equal if no nested loop.");
    refused(() -> Fixtures.parse(Snippets.template("2017-09-01",
        "{repeat: {template: a, for_each: {'%a%': [x]}, permutations: 'no'}}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.repeat: \"permutations\" should be boolean type for repeat function.");
  }

  @Test
  void mapMergeAndMapReplace() {
    assertThat(eval("2016-04-08", "{map_merge: [{a: 1, b: 1}, {b: 2}, null]}")).isEqualTo(json("{\"a\":1,\"b\":2}"));
    refused(() -> eval("2016-04-08", "{map_merge: [{a: 1}, [x]]}"), "StackValidationFailed",
        "resources.probe.metadata.out.map_merge: Incorrect arguments: Items to merge must be maps. ['x'] is type"
            + " <class 'list'> instead of a dict");
    assertThat(eval("2016-10-14", "{map_replace: [{k1: v1, k2: v2}, {keys: {k1: K1}, values: {v2: V2}}]}"))
        .isEqualTo(json("{\"K1\":\"v1\",\"k2\":\"V2\"}"));
    refused(() -> eval("2016-10-14", "{map_replace: [{k1: v1, k2: v2}, {keys: {k1: k2}}]}"),
        "StackValidationFailed",
        "resources.probe.metadata.out.map_replace: key replacement k2 collides with a key in the input map");
  }

  @Test
  void digestStrSplitAndFilter() {
    assertThat(eval("2015-04-30", "{digest: [sha256, abc]}")).isEqualTo(
        J.textNode("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    assertThat(eval("2015-10-15", "{str_split: [',', 'a,b,c']}")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
    assertThat(eval("2015-10-15", "{str_split: [',', 'a,b,c', 1]}")).isEqualTo(J.textNode("b"));
    refused(() -> eval("2015-10-15", "{str_split: [',', 'a,b,c', 5]}"), "StackValidationFailed",
        "resources.probe.metadata.out.str_split: Incorrect index to \"str_split\" should be between 0 and 2");
    assertThat(eval("2017-02-24", "{filter: [[a], [a, b, a, c]]}")).isEqualTo(json("[\"b\",\"c\"]"));
  }

  @Test
  void listConcatContainsAndMakeUrl() {
    assertThat(eval("2017-09-01", "{list_concat: [[a, b], [b], null]}")).isEqualTo(json("[\"a\",\"b\",\"b\"]"));
    assertThat(eval("2017-09-01", "{list_concat_unique: [[a, b], [b, c]]}")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
    assertThat(eval("2017-09-01", "{contains: [az1, {get_param: zones}]}")).isEqualTo(J.booleanNode(true));
    assertThat(eval("2017-09-01",
        "{make_url: {scheme: http, host: 'example.com', port: 8080, path: '/a b', query: {x: 'y z'}, fragment: f}}"))
        .isEqualTo(J.textNode("http://example.com:8080/a%20b?x=y+z#f"));
    assertThat(eval("2017-09-01", "{make_url: {scheme: https, host: '::1', username: 'u@x', password: p}}"))
        .isEqualTo(J.textNode("https://u%40x:p@[::1]"));
    refused(() -> Fixtures.parse(Snippets.template("2017-09-01", "{make_url: {scheme: http, port: 70000}}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.make_url: Invalid URL port 70000, must be in range 1-65535");
  }

  @Test
  void getFileReadsTheRequestsFiles() {
    assertThat(eval("2018-08-31", "{get_file: 'script.sh'}", Map.of("script.sh", "#!/bin/sh\n")))
        .isEqualTo(J.textNode("#!/bin/sh\n"));
    refused(() -> eval("2018-08-31", "{get_file: 'none.sh'}", Map.of()), "StackValidationFailed",
        "resources.probe.metadata.out.get_file: No content found in the \"files\" section for get_file path: none.sh");
  }

  @Test
  void functionsOfLaterVersionsAreDataInEarlierOnes() {
    // Heat only knows a function by the version's table: elsewhere a one-key map is data.
    assertThat(eval("2015-04-30", "{str_split: [',', 'a,b']}")).isEqualTo(json("{\"str_split\": [\",\", \"a,b\"]}"));
  }

  @Test
  void removedFunctionsAreRefusedByName() {
    refused(() -> Fixtures.parse(Snippets.template("2014-10-16", "{'Fn::Join': [',', [a]]}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.Fn::Join: The template version is invalid: The function Fn::Join is not"
            + " supported in this version of HOT.");
    assertThat(eval("2015-04-30", "{'Fn::Select': ['1', [a, b]]}")).isEqualTo(J.textNode("b"));
    refused(() -> Fixtures.parse(Snippets.template("2015-10-15", "{'Fn::Select': ['1', [a, b]]}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.Fn::Select: The template version is invalid: The function Fn::Select is not"
            + " supported in this version of HOT.");
    assertThat(eval("2013-05-23", "{'Fn::Join': [',', [a, b]]}")).isEqualTo(J.textNode("a,b"));
  }

  @Test
  void resourceFacadeReadsTheParentResource() {
    ParsedStack p = Fixtures.parse(Snippets.template("2018-08-31", "{resource_facade: metadata}"));
    BoundStack s = p.bind(Map.of(), PSEUDO, ConstraintChecker.NONE, json("{\"metadata\": {\"k\": \"v\"}}"));
    assertThat(Snippets.probe(s)).isEqualTo(json("{\"k\": \"v\"}"));
    refused(() -> eval("2018-08-31", "{resource_facade: metadata}"), "StackValidationFailed",
        "resources.probe.metadata.out.resource_facade: \"resource_facade\" is only available in a template used as a"
            + " resource of another stack");
    refused(() -> Fixtures.parse(Snippets.template("2018-08-31", "{resource_facade: tags}")),
        "StackValidationFailed", "resources.probe.metadata.out.resource_facade: Incorrect arguments to"
            + " \"resource_facade\" should be one of: metadata, deletion_policy, update_policy");
  }

  @Test
  void anOutputThatFailsIsReportedWhenResolvedNotWhenBound() {
    BoundStack s = bind("""
        heat_template_version: 2015-10-15
        resources:
          a: {type: OS::Heat::TestResource, properties: {value: a}}
        outputs:
          good: {value: {get_attr: [a, output]}}
          bad: {value: {get_param: foo}}
        """);
    refused(() -> output(s, "bad").value().resolve(LIVE), "UserParameterMissing",
        "The Parameter (foo) was not provided.");
  }
}
