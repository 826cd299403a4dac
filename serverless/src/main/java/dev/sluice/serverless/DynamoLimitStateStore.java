package dev.sluice.serverless;

import dev.sluice.core.SluiceException;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.TickUsage;
import dev.sluice.core.gate.stored.Versioned;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * A {@link LimitStateStore} on one DynamoDB table: partition key {@code pk} (string), one item per
 * key, a number attribute {@code version}. Reads are strongly consistent {@code GetItem}s; a
 * replace is a {@code PutItem} of the whole item on condition {@code attribute_not_exists(pk)} for
 * version 0, else {@code #version = :expected}, so a {@code ConditionalCheckFailedException} is a
 * conflict. Uses neither transactions nor {@code UpdateTimeToLive}.
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
    Map<String, AttributeValue> item = new HashMap<>(codec.toItem(key, newState));
    item.put(PK, AttributeValue.fromS(key));
    item.put(VERSION, AttributeValue.fromN(Long.toString(expectedVersion + 1)));
    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (expectedVersion == Versioned.ABSENT) {
      put.conditionExpression("attribute_not_exists(" + PK + ")");
    } else {
      put.conditionExpression("#version = :expected")
          .expressionAttributeNames(Map.of("#version", VERSION))
          .expressionAttributeValues(
              Map.of(":expected", AttributeValue.fromN(Long.toString(expectedVersion))));
    }
    try {
      dynamo.putItem(put.build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    } catch (SdkException e) {
      throw new SluiceException("cannot write limit state '" + key + "' to table " + table, e);
    }
  }
}
