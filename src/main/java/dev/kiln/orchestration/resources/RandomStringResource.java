package dev.kiln.orchestration.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.orchestration.template.schema.ResourceSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code OS::Heat::RandomString}: a random string from character classes and sequences, each with
 * a minimum count, as Heat's {@code password_gen} makes them. The string comes from the resource's
 * own seeded randomness, so a create repeated after a crash makes the same one; every property
 * replaces on change, so an update that changes nothing keeps it, and one that changes anything
 * (the {@code salt} is there for that) makes a new resource and a new string.
 */
public final class RandomStringResource implements ResourceType {
  public static final String TYPE = "OS::Heat::RandomString";
  private static final Map<String, String> CLASSES =
      Map.of(
          "lettersdigits", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
          "letters", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
          "lowercase", "abcdefghijklmnopqrstuvwxyz",
          "uppercase", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
          "digits", "0123456789",
          "hexdigits", "0123456789ABCDEF",
          "octdigits", "01234567");
  private static final String[] CLASS_NAMES = {
    "lettersdigits", "letters", "lowercase", "uppercase", "digits", "hexdigits", "octdigits"
  };
  private static final ResourceSchema SCHEMA =
      Schemas.of(
          TYPE,
          "Generates a random string once, for passwords and other secrets a stack hands to its services.",
          "2014.1",
          Props.properties(
              "length",
              Props.integer("Length of the string to generate.").defaultValue(32).range(1.0, 512.0),
              "sequence",
              Props.string("Deprecated: one character class to draw the whole string from.")
                  .allowed(CLASS_NAMES)
                  .support("HIDDEN", "5.0.0", null),
              "character_classes",
              Props.list("Character classes the string draws from, each with the least number of its characters the string holds.")
                  .item(
                      Props.map(null)
                          .key(
                              "class",
                              Props.string(
                                      "One character class to draw from.")
                                  .allowed(CLASS_NAMES)
                                  .defaultValue("lettersdigits"))
                          .key(
                              "min",
                              Props.integer(
                                      "How many characters of this class the string holds at least.")
                                  .defaultValue(1)
                                  .range(1.0, 512.0)))
                  .defaultValue(defaultClasses()),
              "character_sequences",
              Props.list("Literal character sets the string draws from, each with the least number of its characters the string holds.")
                  .item(
                      Props.map(null)
                          .key(
                              "sequence",
                              Props.string(
                                      "The characters of this set.")
                                  .required())
                          .key(
                              "min",
                              Props.integer(
                                      "How many characters of this set the string holds at least.")
                                  .defaultValue(1)
                                  .range(1.0, 512.0))),
              "salt",
              Props.string(
                  "Change it in an update to get a new string; the value itself does not feed the generator.")),
          Props.attributes(
              "value",
              Props.attribute(
                  "The generated string; get_resource on the resource gives it too.",
                  "string")));

  private static JsonNode defaultClasses() {
    var list = JsonNodeFactory.instance.arrayNode();
    list.addObject().put("class", "lettersdigits").put("min", 1);
    return list;
  }

  @Override
  public ResourceSchema schema() {
    return SCHEMA;
  }

  @Override
  public void create(ResourceContext context) throws Exception {
    JsonNode props = context.properties();
    int length = props.path("length").asInt(32);
    List<CharClass> classes = new ArrayList<>();
    for (JsonNode seq : iterable(props.get("character_sequences"))) {
      classes.add(new CharClass(seq.path("sequence").asText(), seq.path("min").asInt(1)));
    }
    JsonNode charClasses = props.get("character_classes");
    if (props.hasNonNull("sequence")) {
      // Heat translates the deprecated 'sequence' into one more character class.
      classes.add(new CharClass(CLASSES.get(props.get("sequence").asText()), 1));
    }
    for (JsonNode cls : iterable(charClasses)) {
      String name = cls.path("class").asText("lettersdigits");
      classes.add(new CharClass(CLASSES.getOrDefault(name, CLASSES.get("lettersdigits")), cls.path("min").asInt(1)));
    }
    int minimum = classes.stream().mapToInt(CharClass::min).sum();
    if (minimum > length) {
      throw new ResourceError(
          "StackValidationFailed",
          "Length property cannot be smaller than combined character class and character sequence minimums");
    }
    String value = generate(length, classes, context.random());
    context.data().put("value", value);
    context.physicalId(context.physicalName());
  }

  @Override
  public JsonNode attribute(ResourceState resource, String name, NestedStacks nested) {
    JsonNode value = resource.data().get("value");
    return name.equals("value") && value != null ? value : NullNode.instance;
  }

  @Override
  public String referenceId(ResourceState resource) {
    JsonNode value = resource.data().get("value");
    return resource.physicalId() != null && value != null ? value.asText() : resource.name();
  }

  private record CharClass(String chars, int min) {}

  /** The minimum of each class first, the rest from all of them, then shuffled, as Heat does. */
  static String generate(int length, List<CharClass> classes, RandomGenerator random) {
    StringBuilder chosen = new StringBuilder(length);
    Set<Character> all = new LinkedHashSet<>();
    for (CharClass cls : classes) {
      for (char c : cls.chars().toCharArray()) {
        all.add(c);
      }
      for (int i = 0; i < cls.min(); i++) {
        chosen.append(cls.chars().charAt(random.nextInt(cls.chars().length())));
      }
    }
    List<Character> pool = new ArrayList<>(all);
    while (chosen.length() < length) {
      chosen.append(pool.get(random.nextInt(pool.size())));
    }
    char[] chars = chosen.toString().toCharArray();
    for (int i = chars.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char t = chars[i];
      chars[i] = chars[j];
      chars[j] = t;
    }
    return new String(chars, 0, length);
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node == null || !node.isArray() ? List.of() : node;
  }
}
