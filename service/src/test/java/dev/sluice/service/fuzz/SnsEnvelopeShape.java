package dev.sluice.service.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * S3 → SNS → SQS without raw delivery: the SNS envelope whose {@code Message} is the S3
 * notification as a string.
 */
public final class SnsEnvelopeShape implements ValidShape {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final S3RecordsShape inner = new S3RecordsShape();

  @Override
  public String name() {
    return "sns-envelope";
  }

  @Override
  public String body(List<String> keys, Random random) {
    ObjectNode envelope = JSON.createObjectNode();
    envelope.put("Type", "Notification");
    envelope.put("MessageId", "fuzz-" + Integer.toHexString(keys.hashCode()));
    envelope.put("TopicArn", "arn:aws:sns:us-east-1:123456789012:fuzz");
    envelope.put("Subject", "Amazon S3 Notification");
    envelope.put("Message", inner.body(keys, random));
    envelope.put("Timestamp", "2026-11-25T00:00:00.000Z");
    envelope.put("SignatureVersion", "1");
    return envelope.toString();
  }
}
