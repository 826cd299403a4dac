package dev.sluice.service.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The mutations the fuzz test applies: each a named function of a valid body and a seed. */
public final class Mutations {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FIELD = Pattern.compile("\"([A-Za-z0-9]+)\":");
  private static final Pattern KEY_VALUE = Pattern.compile("\"key\":\"([^\"]*)\"");

  /** Percent-encodings no decoder should accept as they are. */
  private static final List<String> BAD_PERCENT =
      List.of(
          "%",
          "%%",
          "%z",
          "%zz",
          "%4",
          "%G1",
          "%E2%82",
          "%C0%AF",
          "%FF%FE",
          "%ED%A0%80",
          "%u00e9",
          "100%",
          "%2",
          "%%41",
          "%0",
          "%00",
          "+%+");

  public static final List<Mutation> ALL =
      List.of(
          of("truncated", Mutations::truncate),
          of("wrong-type", Mutations::wrongType),
          of("huge-string", Mutations::hugeString),
          of("bad-percent-encoding", Mutations::badPercent),
          of("deep-nesting", Mutations::deepNesting),
          of("duplicated-field", Mutations::duplicateField),
          of("random-bytes", Mutations::randomBytes),
          of("flipped-bytes", Mutations::flipBytes),
          of("odd-unicode", Mutations::oddUnicode),
          of("odd-numbers", Mutations::oddNumbers));

  private Mutations() {}

  private static Mutation of(String name, BiFunction<String, Random, byte[]> f) {
    return new Mutation() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public byte[] apply(String validBody, Random random) {
        return f.apply(validBody, random);
      }
    };
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] truncate(String body, Random r) {
    byte[] b = utf8(body);
    return Arrays.copyOf(b, r.nextInt(b.length));
  }

  /** Replaces one value anywhere in the tree (the root included) by a value of another type. */
  static byte[] wrongType(String body, Random r) {
    JsonNode root = read(body);
    List<ContainerNode<?>> parents = new ArrayList<>();
    collectContainers(root, parents);
    if (r.nextInt(20) == 0) {
      return utf8(randomValue(r).toString());
    }
    ContainerNode<?> parent = parents.get(r.nextInt(parents.size()));
    if (parent instanceof ObjectNode o && o.size() > 0) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      o.set(names.get(r.nextInt(names.size())), randomValue(r));
    } else if (parent instanceof ArrayNode a && a.size() > 0) {
      a.set(r.nextInt(a.size()), randomValue(r));
    }
    return utf8(root.toString());
  }

  private static JsonNode randomValue(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> JSON.getNodeFactory().nullNode();
      case 1 -> JSON.getNodeFactory().booleanNode(r.nextBoolean());
      case 2 -> JSON.getNodeFactory().numberNode(r.nextLong());
      case 3 -> JSON.getNodeFactory().numberNode(r.nextDouble() * 1e300);
      case 4 -> JSON.createArrayNode().add(1).add("x");
      case 5 -> JSON.createObjectNode().put("key", 7);
      case 6 -> JSON.getNodeFactory().textNode("");
      default -> JSON.getNodeFactory().textNode("not-" + r.nextInt(100));
    };
  }

  /** A key or another string grown to 10 KiB .. 1.2 MiB (some over the 1 MiB body limit). */
  static byte[] hugeString(String body, Random r) {
    int size = r.nextInt(10) == 0 ? 1_100_000 + r.nextInt(100_000) : 10_000 + r.nextInt(200_000);
    char[] fill = new char[size];
    Arrays.fill(fill, (char) ('a' + r.nextInt(26)));
    String huge = new String(fill);
    Matcher m = KEY_VALUE.matcher(body);
    if (r.nextBoolean() && m.find()) {
      return utf8(body.substring(0, m.start(1)) + huge + body.substring(m.end(1)));
    }
    return utf8(body.replaceFirst("\"eventName\":\"[^\"]*\"", "\"eventName\":\"" + huge + "\""));
  }

  /** Every key gets a broken percent-escape somewhere in it. */
  static byte[] badPercent(String body, Random r) {
    Matcher m = KEY_VALUE.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      int at = r.nextInt(key.length() + 1);
      String bad = BAD_PERCENT.get(r.nextInt(BAD_PERCENT.size()));
      String mutated = key.substring(0, at) + bad + key.substring(at);
      m.appendReplacement(out, Matcher.quoteReplacement("\"key\":\"" + mutated + "\""));
    }
    m.appendTail(out);
    return utf8(out.toString());
  }

  /** A value replaced by arrays or objects nested 50 to 100,000 deep. */
  static byte[] deepNesting(String body, Random r) {
    int depth = List.of(50, 999, 1_001, 5_000, 100_000).get(r.nextInt(5));
    boolean arrays = r.nextBoolean();
    StringBuilder nested = new StringBuilder();
    nested.append((arrays ? "[" : "{\"a\":").repeat(depth)).append('1');
    nested.append((arrays ? "]" : "}").repeat(depth));
    String target = r.nextBoolean() ? "\"s3\":" : "\"Records\":";
    int at = body.indexOf(target);
    if (at < 0 || r.nextInt(4) == 0) {
      return utf8(nested.toString());
    }
    // Replace the start of the value: the rest of the body is left as it was, so it may not close.
    int valueStart = at + target.length();
    return utf8(body.substring(0, valueStart) + nested + "," + body.substring(valueStart));
  }

  /** A field written twice, the second time with another value or type. */
  static byte[] duplicateField(String body, Random r) {
    List<int[]> fields = new ArrayList<>();
    Matcher m = FIELD.matcher(body);
    while (m.find()) {
      fields.add(new int[] {m.start(), m.end(1)});
    }
    int[] pick = fields.get(r.nextInt(fields.size()));
    String name = body.substring(pick[0] + 1, pick[1]);
    String again = "\"" + name + "\":" + randomValue(r) + ",";
    return utf8(body.substring(0, pick[0]) + again + body.substring(pick[0]));
  }

  static byte[] randomBytes(String body, Random r) {
    byte[] b = new byte[r.nextInt(4096)];
    r.nextBytes(b);
    return b;
  }

  static byte[] flipBytes(String body, Random r) {
    byte[] b = utf8(body);
    int flips = 1 + r.nextInt(8);
    for (int i = 0; i < flips; i++) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return b;
  }

  /** Keys with lone surrogates, control characters, NUL, or over-long escapes. */
  static byte[] oddUnicode(String body, Random r) {
    String odd =
        List.of("\\ud800", "\\udfff", "\\u0000", "\\u0007\\u001b[31m", "\\ufeff", "\\uffff", "\\n")
            .get(r.nextInt(7));
    return utf8(body.replaceFirst("\"key\":\"", Matcher.quoteReplacement("\"key\":\"" + odd)));
  }

  /** Sizes and other numbers that do not fit, are negative, or are written oddly. */
  static byte[] oddNumbers(String body, Random r) {
    String n =
        List.of("1e400", "-1", "99999999999999999999999999", "0x10", "NaN", "1.5", "-0", "\"12\"")
            .get(r.nextInt(8));
    if (body.contains("\"size\":")) {
      return utf8(body.replaceFirst("\"size\":[0-9]+", Matcher.quoteReplacement("\"size\":" + n)));
    }
    return utf8(
        body.replaceFirst(
            "\"object\":\\{", Matcher.quoteReplacement("\"object\":{\"size\":" + n + ",")));
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the valid body is not JSON: " + body, e);
    }
  }

  private static void collectContainers(JsonNode node, List<ContainerNode<?>> out) {
    if (node instanceof ContainerNode<?> c) {
      out.add(c);
      node.forEach(child -> collectContainers(child, out));
    }
  }
}
