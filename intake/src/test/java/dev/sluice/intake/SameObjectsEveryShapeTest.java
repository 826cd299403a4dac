package dev.sluice.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ObjectEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The same objects, announced as AWS S3, MinIO, Ceph, SNS, SQS and EventBridge would announce them,
 * give the same decoded keys: the keys as the objects were named.
 */
class SameObjectsEveryShapeTest {

  static final List<String> KEYS =
      List.of(
          "plain.parquet",
          "my file.txt",
          "c++/a+b.txt",
          "100%/50% done.csv",
          "café/naïve ☃ 日本.txt",
          "a/b/c/d/e.parquet",
          "x@y=z&w;v:u,t.txt",
          "tilde~star*bang!.bin");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NotificationParser parser = new NotificationParser();

  private static ObjectNode s3Record(String eventSource, String eventName, String encodedKey) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventVersion", "2.1").put("eventSource", eventSource);
    record.put("eventTime", "2024-05-01T12:00:00.000Z").put("eventName", eventName);
    ObjectNode s3 = record.putObject("s3");
    s3.putObject("bucket").put("name", "data");
    s3.putObject("object").put("key", encodedKey).put("size", 7).put("sequencer", "0A");
    return record;
  }

  private static String awsNotification(UnaryOperator<String> encode) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    KEYS.forEach(k -> records.add(s3Record("aws:s3", "ObjectCreated:Put", encode.apply(k))));
    return root.toString();
  }

  private static String minioBody(String key) {
    ObjectNode root = JSON.createObjectNode();
    root.put("EventName", "s3:ObjectCreated:Put").put("Key", "data/" + key);
    root.putArray("Records")
        .add(s3Record("minio:s3", "s3:ObjectCreated:Put", SenderEncodings.minio(key)));
    return root.toString();
  }

  private static String cephBody(String key) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("Records").add(s3Record("ceph:s3", "s3:ObjectCreated:Put", key));
    return root.toString();
  }

  static String eventBridgeBody(String encodedKey) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "0").put("detail-type", "Object Created").put("source", "aws.s3");
    root.put("time", "2024-05-01T12:00:00Z");
    ObjectNode detail = root.putObject("detail");
    detail.putObject("bucket").put("name", "data");
    detail.putObject("object").put("key", encodedKey).put("size", 7).put("sequencer", "0A");
    detail.put("reason", "PutObject");
    return root.toString();
  }

  private static String snsEnvelope(String message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("Type", "Notification").put("Subject", "Amazon S3 Notification");
    root.put("Message", message);
    return root.toString();
  }

  private static String lambdaSqsEvent(String body) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("Records")
        .addObject()
        .put("messageId", "m1")
        .put("body", body)
        .put("eventSource", "aws:sqs");
    return root.toString();
  }

  private List<String> keys(String body) {
    ParseResult result = parser.parse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(result.bodyError()).isNull();
    assertThat(result.rejected()).isEmpty();
    return result.events().stream().map(ObjectEvent::key).toList();
  }

  private List<String> keysOneBodyPerObject(UnaryOperator<String> bodyForKey) {
    List<String> keys = new ArrayList<>();
    KEYS.forEach(k -> keys.addAll(keys(bodyForKey.apply(k))));
    return keys;
  }

  @Test
  void parse_whenAwsS3Notification_givesTheObjectKeys() {
    assertThat(keys(awsNotification(SenderEncodings::aws))).containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenAwsEncodesSlashToo_givesTheSameKeys() {
    assertThat(keys(awsNotification(k -> SenderEncodings.aws(k).replace("/", "%2F"))))
        .containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenMinioWebhook_givesTheSameKeys() {
    assertThat(keysOneBodyPerObject(SameObjectsEveryShapeTest::minioBody))
        .containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenEventBridgePercentEncoded_givesTheSameKeys() {
    assertThat(keysOneBodyPerObject(k -> eventBridgeBody(SenderEncodings.pythonQuote(k))))
        .containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenEventBridgeFormEncoded_givesTheSameKeys() {
    assertThat(keysOneBodyPerObject(k -> eventBridgeBody(SenderEncodings.aws(k))))
        .containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenCephRawKeys_givesTheSameKeys() {
    assertThat(keysOneBodyPerObject(SameObjectsEveryShapeTest::cephBody))
        .containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenS3ThroughSnsAndSqs_givesTheSameKeys() {
    String notification = awsNotification(SenderEncodings::aws);

    assertThat(keys(snsEnvelope(notification))).containsExactlyElementsOf(KEYS);
    assertThat(keys(lambdaSqsEvent(notification))).containsExactlyElementsOf(KEYS);
    assertThat(keys(lambdaSqsEvent(snsEnvelope(notification)))).containsExactlyElementsOf(KEYS);
  }

  @Test
  void parse_whenEveryShape_givesTheSameIdentities() {
    List<ObjectEvent> aws = parser.parse(bytes(awsNotification(SenderEncodings::aws))).events();
    List<ObjectEvent> eventBridge = new ArrayList<>();
    KEYS.forEach(
        k ->
            eventBridge.addAll(
                parser.parse(bytes(eventBridgeBody(SenderEncodings.pythonQuote(k)))).events()));

    assertThat(eventBridge)
        .extracting(ObjectEvent::identity)
        .containsExactlyElementsOf(aws.stream().map(ObjectEvent::identity).toList());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
