package dev.kiln.orchestration.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.common.ServiceException;
import dev.kiln.orchestration.template.fn.Base64;
import dev.kiln.orchestration.template.fn.CfnGetAtt;
import dev.kiln.orchestration.template.fn.CfnReplace;
import dev.kiln.orchestration.template.fn.CfnSplit;
import dev.kiln.orchestration.template.fn.Contains;
import dev.kiln.orchestration.template.fn.Digest;
import dev.kiln.orchestration.template.fn.Equals;
import dev.kiln.orchestration.template.fn.Filter;
import dev.kiln.orchestration.template.fn.FindInMap;
import dev.kiln.orchestration.template.fn.Function;
import dev.kiln.orchestration.template.fn.GetAZs;
import dev.kiln.orchestration.template.fn.GetAttr;
import dev.kiln.orchestration.template.fn.GetFile;
import dev.kiln.orchestration.template.fn.GetParam;
import dev.kiln.orchestration.template.fn.GetResource;
import dev.kiln.orchestration.template.fn.If;
import dev.kiln.orchestration.template.fn.ListConcat;
import dev.kiln.orchestration.template.fn.ListJoin;
import dev.kiln.orchestration.template.fn.Logic;
import dev.kiln.orchestration.template.fn.MakeUrl;
import dev.kiln.orchestration.template.fn.MapMerge;
import dev.kiln.orchestration.template.fn.MapReplace;
import dev.kiln.orchestration.template.fn.MemberListToMap;
import dev.kiln.orchestration.template.fn.Ref;
import dev.kiln.orchestration.template.fn.Removed;
import dev.kiln.orchestration.template.fn.Repeat;
import dev.kiln.orchestration.template.fn.ResourceFacade;
import dev.kiln.orchestration.template.fn.Select;
import dev.kiln.orchestration.template.fn.StrReplace;
import dev.kiln.orchestration.template.fn.StrSplit;
import dev.kiln.orchestration.template.fn.Yaql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every template version Heat accepts (its {@code heat.templates} entry points) with exactly the
 * functions Heat allows in each (heat/engine/hot/template.py, heat/engine/cfn/template.py).
 */
final class Versions {
  static final List<TemplateFormat> ALL = build();

  private Versions() {}

  private static List<TemplateFormat> build() {
    List<TemplateFormat> out = new ArrayList<>();

    Map<String, Function> cfnBase = new LinkedHashMap<>();
    cfnBase.put("Fn::FindInMap", FindInMap.INSTANCE);
    cfnBase.put("Fn::GetAZs", GetAZs.INSTANCE);
    cfnBase.put("Ref", Ref.INSTANCE);
    cfnBase.put("Fn::GetAtt", CfnGetAtt.INSTANCE);
    cfnBase.put("Fn::Select", Select.INSTANCE);
    cfnBase.put("Fn::Join", ListJoin.SINGLE);
    cfnBase.put("Fn::Split", CfnSplit.INSTANCE);
    cfnBase.put("Fn::Replace", CfnReplace.INSTANCE);
    cfnBase.put("Fn::Base64", Base64.INSTANCE);
    cfnBase.put("Fn::MemberListToMap", MemberListToMap.INSTANCE);
    cfnBase.put("Fn::ResourceFacade", ResourceFacade.CFN);

    Map<String, Function> aws = new LinkedHashMap<>(cfnBase);
    aws.put("Fn::If", If.STRICT);
    Map<String, Function> awsConditions = new LinkedHashMap<>();
    awsConditions.put("Fn::Equals", Equals.INSTANCE);
    awsConditions.put("Ref", Ref.PARAMETERS_ONLY);
    awsConditions.put("Fn::FindInMap", FindInMap.INSTANCE);
    awsConditions.put("Fn::Not", Logic.CFN_NOT);
    awsConditions.put("Fn::And", Logic.AND);
    awsConditions.put("Fn::Or", Logic.OR);
    out.add(new TemplateFormat(TemplateFormat.CFN, "2010-09-09", List.of(), aws, awsConditions));
    out.add(new TemplateFormat(TemplateFormat.HEAT_CFN, "2012-12-12", List.of(), cfnBase, Map.of()));

    Map<String, Function> v20130523 = new LinkedHashMap<>();
    v20130523.put("Fn::GetAZs", GetAZs.INSTANCE);
    v20130523.put("get_param", GetParam.INSTANCE);
    v20130523.put("get_resource", GetResource.INSTANCE);
    v20130523.put("Ref", Ref.INSTANCE);
    v20130523.put("get_attr", GetAttr.WITH_PATH);
    v20130523.put("Fn::Select", Select.INSTANCE);
    v20130523.put("Fn::Join", ListJoin.SINGLE);
    v20130523.put("list_join", ListJoin.SINGLE);
    v20130523.put("Fn::Split", CfnSplit.INSTANCE);
    v20130523.put("str_replace", StrReplace.SCALARS);
    v20130523.put("Fn::Replace", CfnReplace.INSTANCE);
    v20130523.put("Fn::Base64", Base64.INSTANCE);
    v20130523.put("Fn::MemberListToMap", MemberListToMap.INSTANCE);
    v20130523.put("resource_facade", ResourceFacade.HOT);
    v20130523.put("Fn::ResourceFacade", ResourceFacade.CFN);
    v20130523.put("get_file", GetFile.INSTANCE);
    out.add(hot("2013-05-23", null, v20130523, Map.of()));

    Map<String, Function> v20141016 = new LinkedHashMap<>();
    v20141016.put("get_attr", GetAttr.WITH_PATH);
    v20141016.put("get_file", GetFile.INSTANCE);
    v20141016.put("get_param", GetParam.INSTANCE);
    v20141016.put("get_resource", GetResource.INSTANCE);
    v20141016.put("list_join", ListJoin.SINGLE);
    v20141016.put("resource_facade", ResourceFacade.HOT);
    v20141016.put("str_replace", StrReplace.SCALARS);
    v20141016.put("Fn::Select", Select.INSTANCE);
    removedCfn(v20141016);
    out.add(hot("2014-10-16", null, v20141016, Map.of()));

    Map<String, Function> v20150430 = new LinkedHashMap<>();
    v20150430.put("get_attr", GetAttr.WITH_PATH);
    v20150430.put("get_file", GetFile.INSTANCE);
    v20150430.put("get_param", GetParam.INSTANCE);
    v20150430.put("get_resource", GetResource.INSTANCE);
    v20150430.put("list_join", ListJoin.SINGLE);
    v20150430.put("repeat", Repeat.LISTS);
    v20150430.put("resource_facade", ResourceFacade.HOT);
    v20150430.put("str_replace", StrReplace.SCALARS);
    v20150430.put("Fn::Select", Select.INSTANCE);
    v20150430.put("digest", Digest.INSTANCE);
    removedCfn(v20150430);
    out.add(hot("2015-04-30", null, v20150430, Map.of()));

    Map<String, Function> v20151015 = modern(Repeat.LISTS, If.STRICT, "2015-10-15");
    out.add(hot("2015-10-15", null, v20151015, Map.of()));
    out.add(hot("2016-04-08", null, modern(Repeat.LISTS, If.STRICT, "2016-04-08"), Map.of()));

    Map<String, Function> conditions2016 = new LinkedHashMap<>();
    conditions2016.put("get_param", GetParam.INSTANCE);
    conditions2016.put("equals", Equals.INSTANCE);
    conditions2016.put("not", Logic.NOT);
    conditions2016.put("and", Logic.AND);
    conditions2016.put("or", Logic.OR);
    out.add(hot("2016-10-14", "newton", modern(Repeat.LISTS_OR_MAPS, If.STRICT, "2016-10-14"), conditions2016));
    out.add(hot("2017-02-24", "ocata", modern(Repeat.LISTS_OR_MAPS, If.STRICT, "2017-02-24"), conditions2016));

    Map<String, Function> conditions2017 = new LinkedHashMap<>(conditions2016);
    conditions2017.put("yaql", Yaql.INSTANCE);
    conditions2017.put("contains", Contains.INSTANCE);
    out.add(hot("2017-09-01", "pike", modern(Repeat.NESTED_LOOP, If.STRICT, "2017-09-01"), conditions2017));
    out.add(hot("2018-03-02", "queens", modern(Repeat.NESTED_LOOP, If.STRICT, "2018-03-02"), conditions2017));
    out.add(hot("2018-08-31", "rocky", modern(Repeat.NESTED_LOOP, If.STRICT, "2018-08-31"), conditions2017));
    out.add(hot("2021-04-16", "wallaby", modern(Repeat.NESTED_LOOP, If.NULLABLE, "2021-04-16"), conditions2017));
    return List.copyOf(out);
  }

  /** The function table of HOT 2015-10-15 and later, growing by version as Heat's does. */
  private static Map<String, Function> modern(Repeat repeat, If ifFunction, String version) {
    Map<String, Function> f = new LinkedHashMap<>();
    f.put("get_attr", GetAttr.ALL_ATTRIBUTES);
    f.put("get_file", GetFile.INSTANCE);
    f.put("get_param", GetParam.INSTANCE);
    f.put("get_resource", GetResource.INSTANCE);
    f.put("list_join", ListJoin.MULTIPLE);
    f.put("repeat", repeat);
    f.put("resource_facade", ResourceFacade.HOT);
    f.put("str_replace", StrReplace.JSON);
    f.put("digest", Digest.INSTANCE);
    f.put("str_split", StrSplit.INSTANCE);
    if (version.compareTo("2016-04-08") >= 0) {
      f.put("map_merge", MapMerge.INSTANCE);
    }
    if (version.compareTo("2016-10-14") >= 0) {
      f.put("yaql", Yaql.INSTANCE);
      f.put("map_replace", MapReplace.INSTANCE);
      f.put("if", ifFunction);
    }
    if (version.compareTo("2017-02-24") >= 0) {
      f.put("filter", Filter.INSTANCE);
      f.put("str_replace_strict", StrReplace.STRICT);
    }
    if (version.compareTo("2017-09-01") >= 0) {
      f.put("make_url", MakeUrl.INSTANCE);
      f.put("list_concat", ListConcat.ALL);
      f.put("str_replace_vstrict", StrReplace.VERY_STRICT);
      f.put("list_concat_unique", ListConcat.UNIQUE);
      f.put("contains", Contains.INSTANCE);
    }
    f.put("Fn::Select", Removed.INSTANCE);
    removedCfn(f);
    return f;
  }

  private static void removedCfn(Map<String, Function> f) {
    for (String name :
        List.of("Fn::GetAZs", "Fn::Join", "Fn::Split", "Fn::Replace", "Fn::Base64",
            "Fn::MemberListToMap", "Fn::ResourceFacade", "Ref")) {
      f.put(name, Removed.INSTANCE);
    }
  }

  private static TemplateFormat hot(
      String date, String alias, Map<String, Function> functions, Map<String, Function> conditions) {
    return new TemplateFormat(
        TemplateFormat.HOT,
        date,
        alias == null ? List.of() : List.of(alias),
        Collections.unmodifiableMap(functions),
        Collections.unmodifiableMap(conditions));
  }

  /** The version of a template (Heat's {@code get_template_class}). */
  static TemplateFormat of(JsonNode template) {
    List<String> present = new ArrayList<>();
    for (String key : List.of(TemplateFormat.HOT, TemplateFormat.CFN, TemplateFormat.HEAT_CFN)) {
      JsonNode v = template.get(key);
      if (v != null && v.isTextual()) {
        present.add(key);
      }
    }
    if (present.size() > 1) {
      throw Errors.version("Ambiguous versions (" + String.join(", ", present) + ")");
    }
    if (present.isEmpty()) {
      throw Errors.version("Template version was not provided");
    }
    String key = present.get(0);
    String value = template.get(key).textValue();
    TemplateFormat f = find(key, value);
    if (f != null) {
      return f;
    }
    TreeSet<String> available = new TreeSet<>();
    for (TemplateFormat t : ALL) {
      if (t.key().equals(key)) {
        available.add(t.date());
        available.addAll(t.aliases());
      }
    }
    String versionText = "\"" + key + ": " + value + "\". \"" + key + "\" should be"
        + (available.size() > 1 ? " one of: " : ": ") + String.join(", ", available);
    throw Errors.version(versionText);
  }

  static TemplateFormat find(String key, String value) {
    for (TemplateFormat t : ALL) {
      if (t.key().equals(key) && (t.date().equals(value) || t.aliases().contains(value))) {
        return t;
      }
    }
    return null;
  }

  /** {@code heat_template_version.2018-08-31} or {@code heat_template_version.rocky}. */
  static TemplateFormat byFullName(String name) {
    int dot = name == null ? -1 : name.indexOf('.');
    TemplateFormat f = dot < 0 ? null : find(name.substring(0, dot), name.substring(dot + 1));
    if (f == null) {
      throw new ServiceException(
          ServiceException.Kind.NOT_FOUND, "NotFound", "Template with version " + name + " not found");
    }
    return f;
  }
}
