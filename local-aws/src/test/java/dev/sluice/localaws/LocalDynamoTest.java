package dev.sluice.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

class LocalDynamoTest {
  private static LocalDynamo dynamo;

  @BeforeAll
  static void start() {
    dynamo = LocalDynamo.start();
    dynamo.createTable("limits");
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  @Test
  void conditionalPut_whenTheItemExists_isRefusedAsDynamoDbRefusesIt() {
    DynamoDbClient db = dynamo.client();
    Map<String, AttributeValue> item =
        Map.of("pk", AttributeValue.fromS("tick#1"), "used", AttributeValue.fromN("3"));
    db.putItem(
        b -> b.tableName("limits").item(item).conditionExpression("attribute_not_exists(pk)"));

    assertThatThrownBy(
            () ->
                db.putItem(
                    b ->
                        b.tableName("limits")
                            .item(item)
                            .conditionExpression("attribute_not_exists(pk)")))
        .isInstanceOf(ConditionalCheckFailedException.class);
    assertThat(
            db.getItem(
                    b ->
                        b.tableName("limits")
                            .consistentRead(true)
                            .key(Map.of("pk", AttributeValue.fromS("tick#1"))))
                .item()
                .get("used")
                .n())
        .isEqualTo("3");
  }

  @Test
  void close_stopsTheServer() {
    LocalDynamo other = LocalDynamo.start();
    var endpoint = other.endpoint();
    other.close();

    try (DynamoDbClient client = LocalClients.dynamo(endpoint)) {
      assertThatThrownBy(client::listTables).isNotNull();
    }
  }
}
