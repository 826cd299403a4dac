package dev.sluice.service.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fuzz test's notifications, each built on demand from the seed and its index, so a run is
 * reproducible and never holds all bodies in memory. A quarter are valid bodies, a tenth valid
 * batches with one broken record, the rest mutants. Valid keys live under {@code valid/} and are
 * distinct; mutants use {@code mutant/}, so no mutant can stand in for a valid record.
 */
public final class FuzzCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** File names that exercise key decoding: spaces, '+', '%', unicode, nested folders. */
  private static final List<String> NAMES =
      List.of(
          "plain.bin",
          "with space.txt",
          "a+b.csv",
          "100% done.log",
          "caf\u00e9/\u00fcber/\u65e5\u672c.txt",
          "nested/dir/deeper/file.parquet",
          "tilde~eq=amp&semi;.json",
          "emoji-\ud83d\ude00.png");

  private final long seed;
  private final List<ValidShape> shapes;
  private final List<Mutation> mutations;

  public FuzzCorpus(long seed, List<ValidShape> shapes, List<Mutation> mutations) {
    this.seed = seed;
    this.shapes = List.copyOf(shapes);
    this.mutations = List.copyOf(mutations);
  }

  public FuzzNotification notification(int index) {
    Random r = new Random(seed * 1_000_003L + index);
    ValidShape shape = shapes.get(r.nextInt(shapes.size()));
    int roll = r.nextInt(100);
    if (roll < 25) {
      List<String> keys = keys("valid", index, 1 + r.nextInt(5), r);
      return new FuzzNotification(index, shape.name(), utf8(shape.body(keys, r)), keys);
    }
    if (roll < 35) {
      return mixedBatch(index, r);
    }
    Mutation mutation = mutations.get(r.nextInt(mutations.size()));
    String base = shape.body(keys("mutant", index, 1 + r.nextInt(3), r), r);
    return new FuzzNotification(index, mutation.name(), mutation.apply(base, r), List.of());
  }

  /** Valid S3 records around one record that breaks a required field. */
  private FuzzNotification mixedBatch(int index, Random r) {
    List<String> keys = keys("valid", index, 1 + r.nextInt(4), r);
    List<ObjectNode> records = new ArrayList<>();
    for (String key : keys) {
      records.add(S3RecordsShape.record(key, r));
    }
    ObjectNode broken = S3RecordsShape.record("mutant/" + index + "/broken", r);
    ObjectNode s3 = (ObjectNode) broken.get("s3");
    switch (r.nextInt(5)) {
      case 0 -> ((ObjectNode) s3.get("object")).put("key", 123);
      case 1 -> broken.put("s3", "not an object");
      case 2 -> s3.putArray("bucket");
      case 3 -> s3.putNull("object");
      default -> ((ObjectNode) s3.get("object")).remove("key");
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode arr = body.putArray("Records");
    int brokenAt = r.nextInt(records.size() + 1);
    records.add(brokenAt, broken);
    records.forEach(arr::add);
    return new FuzzNotification(index, "mixed:s3-records", utf8(body.toString()), keys);
  }

  private static List<String> keys(String namespace, int index, int count, Random r) {
    List<String> keys = new ArrayList<>();
    for (int j = 0; j < count; j++) {
      keys.add(
          String.format("%s/%05d-%d/%s", namespace, index, j, NAMES.get(r.nextInt(NAMES.size()))));
    }
    return keys;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
