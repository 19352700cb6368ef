package dev.kiln.orchestration.template;

import static dev.kiln.orchestration.template.Fixtures.*;
import static dev.kiln.orchestration.template.Snippets.eval;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YaqlTest {

  private static com.fasterxml.jackson.databind.JsonNode yaql(String expression, String data) {
    return eval("2016-10-14", "{yaql: {expression: \"" + expression + "\", data: " + data + "}}");
  }

  @Test
  void sumsAndSelects() {
    assertThat(yaql("$.data.var1.sum()", "{var1: [3, 2, 1]}")).isEqualTo(J.numberNode(6));
    assertThat(yaql("$.data.servers.select($.name)", "{servers: [{name: a}, {name: b}]}"))
        .isEqualTo(json("[\"a\", \"b\"]"));
    assertThat(yaql("$.data.l.where($ > 1).len()", "{l: [1, 2, 3]}")).isEqualTo(J.numberNode(2));
    assertThat(yaql("$.data.l.orderBy($).first()", "{l: [3, 1, 2]}")).isEqualTo(J.numberNode(1));
    assertThat(yaql("$.data.s.split(',').join('-')", "{s: 'a,b'}")).isEqualTo(J.textNode("a-b"));
    assertThat(yaql("$.data.m.keys()", "{m: {x: 1, y: 2}}")).isEqualTo(json("[\"x\", \"y\"]"));
    assertThat(yaql("len($.data.l) * 2 + 1", "{l: [1, 2]}")).isEqualTo(J.numberNode(5));
    assertThat(yaql("$.data.l.distinct()", "{l: [1, 1, 2]}")).isEqualTo(json("[1, 2]"));
    assertThat(yaql("'b' in $.data.l and not false", "{l: [a, b]}")).isEqualTo(J.booleanNode(true));
  }

  @Test
  void yaqlWorksAsACondition() {
    BoundStack s = bind("""
        heat_template_version: 2017-09-01
        parameters:
          n: {type: number, default: 3}
        conditions:
          big: {yaql: {expression: "$.data.n > 2", data: {n: {get_param: n}}}}
        resources:
          a: {type: OS::Heat::None, condition: big}
        """);
    assertThat(s.resources()).hasSize(1);
  }

  @Test
  void yaqlSyntaxErrorsAreRefusedWhenParsed() {
    refused(() -> Fixtures.parse(Snippets.template("2016-10-14", "{yaql: {expression: '$.data.(', data: {}}}")),
        "StackValidationFailed",
        "resources.probe.metadata.out.yaql: Bad expression Parse error: expected a name at position 7 of '$.data.('.");
  }

  @Test
  void yaqlIsNotAConditionFunctionBefore20170901() {
    refused(() -> Fixtures.parse("""
        heat_template_version: 2016-10-14
        conditions:
          c: {yaql: {expression: "true", data: {}}}
        """), "StackValidationFailed",
        "conditions.c.yaql: The function \"yaql\" is invalid in this context");
  }
}
