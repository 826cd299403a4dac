package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The event Lambda's SQS event source mapping gives a function: {@code {"Records": [...]}}, one
 * record per message with its id, receipt handle, body, system attributes (strings, {@code
 * ApproximateReceiveCount} among them) and message attributes ({@code stringValue} or {@code
 * binaryValue} in base64, {@code dataType}).
 */
public final class LambdaSqsEvent {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LambdaSqsEvent() {}

  /** The event for {@code messages}, received from the queue {@code queueArn} in {@code region}. */
  public static String of(List<Message> messages, String queueArn, String region) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode records = root.putArray("Records");
    for (Message m : messages) {
      ObjectNode r = records.addObject();
      r.put("messageId", m.messageId());
      r.put("receiptHandle", m.receiptHandle());
      r.put("body", m.body());
      ObjectNode attributes = r.putObject("attributes");
      for (Map.Entry<String, String> a : m.attributesAsStrings().entrySet()) {
        attributes.put(a.getKey(), a.getValue());
      }
      ObjectNode messageAttributes = r.putObject("messageAttributes");
      for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
        MessageAttributeValue v = a.getValue();
        ObjectNode value = messageAttributes.putObject(a.getKey());
        if (v.stringValue() != null) {
          value.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
          value.put(
              "binaryValue", Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        }
        value.putArray("stringListValues");
        value.putArray("binaryListValues");
        value.put("dataType", v.dataType());
      }
      r.put("md5OfBody", m.md5OfBody());
      if (m.md5OfMessageAttributes() != null) {
        r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
      }
      r.put("eventSource", "aws:sqs");
      r.put("eventSourceARN", queueArn);
      r.put("awsRegion", region);
    }
    return root.toString();
  }
}
