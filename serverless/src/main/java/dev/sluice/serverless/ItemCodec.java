package dev.sluice.serverless;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How one state type is written as a DynamoDB item: its own attributes, besides {@code pk} and
 * {@code version}, which {@link DynamoLimitStateStore} owns.
 *
 * @param <S> the state type
 */
public interface ItemCodec<S> {

  /** The state of a key never written. */
  S empty();

  /** The state an item holds. */
  S fromItem(String key, Map<String, AttributeValue> item);

  /** The attributes that hold {@code state} under {@code key}. */
  Map<String, AttributeValue> toItem(String key, S state);
}
