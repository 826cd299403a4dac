package dev.sluice.serverless;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends bodies to one queue ten to a {@code SendMessageBatch} call and says which were not sent:
 * the entries a call reports {@code Failed} (after the SDK's own retries of the call), and every
 * entry of a call that failed as a whole.
 */
final class BatchSender {
  static final int MAX_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;

  BatchSender(SqsClient sqs, String queueUrl) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
  }

  /**
   * One message to send.
   *
   * @param body the body
   * @param delaySeconds 0 to 900
   * @param attributes string message attributes (an error for a dead letter, a count)
   */
  record Outgoing(String body, int delaySeconds, Map<String, String> attributes) {
    Outgoing(String body, int delaySeconds) {
      this(body, delaySeconds, Map.of());
    }
  }

  /**
   * One message not sent.
   *
   * @param index its position in the list given to {@link #send}
   * @param reason SQS's code and message
   */
  record Unsent(int index, String reason) {}

  /** Sends {@code messages}; returns those not sent, in order. */
  List<Unsent> send(List<Outgoing> messages) {
    List<Unsent> unsent = new ArrayList<>();
    for (int from = 0; from < messages.size(); from += MAX_BATCH) {
      int to = Math.min(messages.size(), from + MAX_BATCH);
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        Outgoing m = messages.get(i);
        SendMessageBatchRequestEntry.Builder entry =
            SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(m.body());
        if (m.delaySeconds() > 0) {
          entry.delaySeconds(m.delaySeconds());
        }
        if (!m.attributes().isEmpty()) {
          Map<String, MessageAttributeValue> attributes = new HashMap<>();
          m.attributes()
              .forEach(
                  (name, value) ->
                      attributes.put(
                          name,
                          MessageAttributeValue.builder()
                              .dataType("String")
                              .stringValue(value)
                              .build()));
          entry.messageAttributes(attributes);
        }
        entries.add(entry.build());
      }
      SendMessageBatchResponse response;
      try {
        response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      } catch (SdkException e) {
        for (int i = from; i < to; i++) {
          unsent.add(new Unsent(i, "SendMessageBatch failed: " + e.getMessage()));
        }
        continue;
      }
      for (BatchResultErrorEntry failed : response.failed()) {
        unsent.add(
            new Unsent(
                Integer.parseInt(failed.id()),
                failed.code()
                    + (Boolean.TRUE.equals(failed.senderFault()) ? " (sender fault)" : "")
                    + ": "
                    + failed.message()));
      }
    }
    unsent.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return unsent;
  }
}
