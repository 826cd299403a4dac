package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.LimitStateStore;
import dev.sluice.core.gate.stored.TickUsage;
import dev.sluice.testkit.LimitStateStoreContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB store keeps the store contract, against dynalite with the real SDK. */
class DynamoLimitStateStoreContractTest extends LimitStateStoreContract {
  private static final LocalAws AWS = LocalAws.get();
  private static final String TABLE = AWS.newTable();

  @Override
  protected LimitStateStore<TickUsage> tickStore() {
    return DynamoLimitStateStore.ticks(AWS.dynamo.client(), TABLE);
  }

  @Override
  protected LimitStateStore<InFlightSlots> inFlightStore() {
    return DynamoLimitStateStore.inFlight(AWS.dynamo.client(), TABLE);
  }

  @Test
  void tickItem_hasTheContractsAttributesAndExpiresADayAfterTheTick() {
    String key = "tick#1772366400";
    tickStore().replace(key, 0, new TickUsage(4));

    Map<String, AttributeValue> item =
        AWS.dynamo
            .client()
            .getItem(
                b ->
                    b.tableName(TABLE)
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS(key))))
            .item();

    assertThat(item.get("used").n()).isEqualTo("4");
    assertThat(item.get("version").n()).isEqualTo("1");
    assertThat(item.get("expiresAt").n()).isEqualTo(String.valueOf(1772366400L + 86400));
  }
}
