package dev.sluice.serverless;

import dev.sluice.core.SluiceException;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.StoredLimit;
import dev.sluice.core.gate.stored.TickUsage;
import dev.sluice.core.gate.stored.Versioned;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A {@link LimitStateStore} on one DynamoDB table: partition key {@code pk} (string), one item per
 * key, a number attribute {@code version}. Reads are strongly consistent {@code GetItem}s; a
 * replace of version 0 is a {@code PutItem} on condition {@code attribute_not_exists(pk)}, any
 * other an {@code UpdateItem} that sets every attribute of the state on condition {@code #version =
 * :expected}, so a {@code ConditionalCheckFailedException} is a conflict. Uses neither transactions
 * nor {@code UpdateTimeToLive}.
 *
 * @param <S> the state type
 */
public final class DynamoLimitStateStore<S> implements LimitStateStore<S> {

  /** The partition key attribute. */
  public static final String PK = "pk";

  /** The version attribute. */
  public static final String VERSION = "version";

  private final DynamoDbClient dynamo;
  private final String table;
  private final ItemCodec<S> codec;

  public DynamoLimitStateStore(DynamoDbClient dynamo, String table, ItemCodec<S> codec) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /** The store of tick usages ({@code tick#<epoch second>} items). */
  public static DynamoLimitStateStore<TickUsage> ticks(DynamoDbClient dynamo, String table) {
    return new DynamoLimitStateStore<>(dynamo, table, new TickUsageCodec());
  }

  /** The store of in-flight slots (the {@code inflight} item). */
  public static DynamoLimitStateStore<InFlightSlots> inFlight(DynamoDbClient dynamo, String table) {
    return new DynamoLimitStateStore<>(dynamo, table, new InFlightSlotsCodec());
  }

  /**
   * The in-flight slots as the invoke and completion functions see them: they only free slots by
   * name (the limit's size is the scheduler's to check), so the policy they hold is unbounded.
   */
  public static StoredLimit<InFlightSlots> slotsToFree(DynamoDbClient dynamo, String table) {
    return new StoredLimit<>(
        new ConcurrencyPolicy(Integer.MAX_VALUE, Duration.ofDays(365)), inFlight(dynamo, table));
  }

  @Override
  public Versioned<S> load(String key) {
    Map<String, AttributeValue> item;
    try {
      item =
          dynamo
              .getItem(
                  b ->
                      b.tableName(table)
                          .consistentRead(true)
                          .key(Map.of(PK, AttributeValue.fromS(key))))
              .item();
    } catch (SdkException e) {
      throw new SluiceException("cannot read limit state '" + key + "' from table " + table, e);
    }
    if (item == null || item.isEmpty()) {
      return Versioned.absent(codec.empty());
    }
    AttributeValue version = item.get(VERSION);
    if (version == null || version.n() == null) {
      throw new SluiceException(
          "limit state '" + key + "' in table " + table + " has no number attribute " + VERSION);
    }
    return new Versioned<>(codec.fromItem(key, item), Long.parseLong(version.n()));
  }

  @Override
  public boolean replace(String key, long expectedVersion, S newState) {
    Map<String, AttributeValue> attributes = codec.toItem(key, newState);
    String next = Long.toString(expectedVersion + 1);
    try {
      if (expectedVersion == Versioned.ABSENT) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put(PK, AttributeValue.fromS(key));
        item.put(VERSION, AttributeValue.fromN(next));
        dynamo.putItem(
            PutItemRequest.builder()
                .tableName(table)
                .item(item)
                .conditionExpression("attribute_not_exists(" + PK + ")")
                .build());
      } else {
        // An update, not a put, of an existing item: the functions that only free slots are
        // granted UpdateItem, not PutItem.
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET #version = :next");
        names.put("#version", VERSION);
        values.put(":next", AttributeValue.fromN(next));
        values.put(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
        int i = 0;
        for (Map.Entry<String, AttributeValue> a : attributes.entrySet()) {
          set.append(", #a").append(i).append(" = :a").append(i);
          names.put("#a" + i, a.getKey());
          values.put(":a" + i, a.getValue());
          i++;
        }
        dynamo.updateItem(
            UpdateItemRequest.builder()
                .tableName(table)
                .key(Map.of(PK, AttributeValue.fromS(key)))
                .updateExpression(set.toString())
                .conditionExpression("#version = :expected")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build());
      }
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new SluiceException("cannot write limit state '" + key + "' to table " + table, e);
    }
  }
}
