package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One mapping of the YAML tree, read with types and defaults. Every problem becomes a {@link
 * ConfigException} naming the full key: {@code http.port: expected an integer, got 'abc'}. A key
 * set to null (or left empty) counts as absent and takes its default.
 */
final class YamlSection {

  private final String path;
  private final JsonNode node;

  private YamlSection(String path, JsonNode node) {
    this.path = path;
    this.node = node;
  }

  /** The top level of a document; {@code node} must be a mapping. */
  static YamlSection root(JsonNode node) {
    return new YamlSection("", node);
  }

  /** A mapping found at {@code path} of a larger document (a limits body sent over HTTP). */
  static YamlSection at(String path, JsonNode node) {
    return new YamlSection(path, node);
  }

  /** The full key of this section: {@code limits.window}; empty at the top level. */
  String path() {
    return path;
  }

  /** The full key of {@code key} in this section: {@code limits.window.limit}. */
  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Rejects any key not in {@code known}, so a typo is an error rather than a silent default. */
  YamlSection allowOnly(String... known) {
    List<String> knownKeys = Arrays.asList(known);
    var names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!knownKeys.contains(name)) {
        throw new ConfigException(
            "unknown key '"
                + name
                + "' "
                + (path.isEmpty() ? "at top level" : "in " + path)
                + " "
                + hint(name, knownKeys));
      }
    }
    return this;
  }

  /** The sub-mapping at {@code key}, or empty when the key is absent or null. */
  Optional<YamlSection> section(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isObject()) {
      throw error(key, "expected a mapping, got " + describe(value));
    }
    return Optional.of(new YamlSection(keyPath(key), value));
  }

  /** A list of mappings, each read at {@code key[i]}; empty when the key is absent or null. */
  List<YamlSection> sections(String key) {
    JsonNode value = value(key);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw error(key, "expected a list of mappings, got " + describe(value));
    }
    List<YamlSection> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemKey = key + "[" + i + "]";
      if (!item.isObject()) {
        throw error(itemKey, "expected a mapping, got " + describe(item));
      }
      items.add(new YamlSection(keyPath(itemKey), item));
    }
    return items;
  }

  /** Whether {@code key} is given a value (absent and null are not). */
  boolean has(String key) {
    return value(key) != null;
  }

  String string(String key, String fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    return text(key, value);
  }

  int integer(String key, int fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw error(key, "expected an integer, got " + describe(value));
    }
    if (!value.canConvertToInt()) {
      throw error(key, "expected an integer, got " + describe(value) + " (too large)");
    }
    return value.intValue();
  }

  double number(String key, double fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw error(key, "expected a number, got " + describe(value));
    }
    return value.doubleValue();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw error(key, "expected true or false, got " + describe(value));
    }
    return value.booleanValue();
  }

  Duration duration(String key, Duration fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw error(key, "expected " + DurationText.EXPECTED + ", got " + describe(value));
    }
    try {
      return DurationText.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  long byteSize(String key, long fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (!value.isTextual()) {
      throw error(key, "expected " + ByteSizeText.EXPECTED + ", got " + describe(value));
    }
    try {
      return ByteSizeText.parse(value.textValue());
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage());
    }
  }

  /** A list of strings; a single string is read as a list of one. */
  List<String> strings(String key, List<String> fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (value.isTextual()) {
      return List.of(value.textValue());
    }
    if (!value.isArray()) {
      throw error(key, "expected a list of strings, got " + describe(value));
    }
    List<String> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      items.add(text(key + "[" + i + "]", item));
    }
    return items;
  }

  /** A mapping of string keys to string values, in file order. */
  Map<String, String> stringMap(String key, Map<String, String> fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isObject()) {
      throw error(key, "expected a mapping, got " + describe(value));
    }
    Map<String, String> entries = new LinkedHashMap<>();
    var fields = value.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      entries.put(field.getKey(), text(key + "." + field.getKey(), field.getValue()));
    }
    return entries;
  }

  /** One of an enum's constants, written in lower case with '-' for '_'. */
  <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    JsonNode value = value(key);
    if (value == null) {
      return fallback;
    }
    E[] constants = type.getEnumConstants();
    String expected =
        Arrays.stream(constants).map(YamlSection::configName).collect(Collectors.joining(", "));
    if (value.isTextual()) {
      for (E constant : constants) {
        if (configName(constant).equalsIgnoreCase(value.textValue().strip())) {
          return constant;
        }
      }
      throw error(key, "unknown value '" + value.textValue() + "' (expected " + expected + ")");
    }
    throw error(key, "expected one of " + expected + ", got " + describe(value) + quoteHint(value));
  }

  /**
   * Runs a record constructor, turning its validation message ({@code port must be ...}) into a
   * config error for the full key ({@code http.port: must be ...}).
   */
  <T> T build(Supplier<T> constructor) {
    return buildAt(path, constructor);
  }

  /** As {@link #build}, for records whose messages are relative to {@code sectionPath}. */
  static <T> T buildAt(String sectionPath, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(FieldMessage.qualify(sectionPath, e.getMessage()), e);
    }
  }

  /**
   * A string value. Whole numbers are taken as written ({@code command: [sleep, 5]}); booleans and
   * decimals are not, because YAML has already changed them ({@code off} is {@code false}).
   */
  private String text(String key, JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.asText();
    }
    throw error(key, "expected a string, got " + describe(value) + quoteHint(value));
  }

  private static String quoteHint(JsonNode value) {
    return value.isBoolean() || value.isFloatingPointNumber()
        ? " (YAML reads yes, no, on, off and decimals as non-strings: quote the value)"
        : "";
  }

  ConfigException error(String key, String problem) {
    return new ConfigException(keyPath(key) + ": " + problem);
  }

  /** The name a constant has in the config file: {@code COMMAND} is {@code command}. */
  static String configName(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private JsonNode value(String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  /** What a node is, for "got ..." in messages. */
  static String describe(JsonNode value) {
    if (value.isTextual()) {
      String text = value.textValue();
      return "'" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "'";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isNull()) {
      return "nothing";
    }
    return value.asText();
  }

  private static String hint(String unknown, List<String> known) {
    for (String candidate : known) {
      if (editDistance(unknown, candidate) <= 2) {
        return "(did you mean '" + candidate + "'?)";
      }
    }
    return "(expected one of " + String.join(", ", known) + ")";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
