package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.localaws.LocalClients;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The event source mapping as Lambda runs it: the Lambda SQS event with attributes, deletes of what
 * the function did not list in batchItemFailures, and the listed messages back after the visibility
 * timeout with a higher receive count.
 */
class SqsEventSourceTest {
  private static final SharedAws AWS = SharedAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  /** A function that fails the messages whose body starts with "fail" on their first receive. */
  private static RequestStreamHandler failingFirstReceives(List<JsonNode> seen) {
    return (input, output, context) -> {
      JsonNode event = JSON.readTree(input.readAllBytes());
      StringBuilder failures = new StringBuilder("{\"batchItemFailures\":[");
      String sep = "";
      for (JsonNode r : event.get("Records")) {
        seen.add(r);
        if (r.path("body").asText().startsWith("fail")
            && r.path("attributes").path("ApproximateReceiveCount").asText().equals("1")) {
          failures
              .append(sep)
              .append("{\"itemIdentifier\":\"")
              .append(r.path("messageId").asText());
          failures.append("\"}");
          sep = ",";
        }
      }
      output.write((failures + "]}").getBytes(StandardCharsets.UTF_8));
    };
  }

  @Test
  void deliver_deletesWhatTheFunctionDidNotFail_andFailedMessagesComeBackWithReceiveCount2() {
    URI queue = AWS.sqs.createQueue(SharedAws.unique("source"), 1);
    List<SendMessageBatchRequestEntry> entries =
        List.of(
            entry("0", "ok-0", null),
            entry("1", "fail-1", "3"),
            entry("2", "ok-2", null),
            entry("3", "fail-3", null));
    AWS.sqs.client().sendMessageBatch(b -> b.queueUrl(queue.toString()).entries(entries));
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    LocalFunction function =
        new LocalFunction(
            "f",
            Duration.ofSeconds(30),
            () -> failingFirstReceives(seen),
            Clock.systemUTC(),
            QUIET);

    try (SqsClient sqs = LocalClients.sqs(AWS.sqs.endpoint());
        SqsEventSource source =
            new SqsEventSource(sqs, queue.toString(), "us-east-1", function, 1).start(2)) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> AWS.sqs.messagesOn(queue) == 0 && seen.size() >= 6);

      assertThat(seen).hasSize(6);
      assertThat(seen.stream().filter(r -> r.path("body").asText().startsWith("fail")))
          .extracting(r -> r.path("attributes").path("ApproximateReceiveCount").asText())
          .containsExactlyInAnyOrder("1", "1", "2", "2");
      JsonNode throttled =
          seen.stream().filter(r -> r.path("body").asText().equals("fail-1")).findFirst().get();
      assertThat(
              throttled
                  .path("messageAttributes")
                  .path("sluice-throttles")
                  .path("stringValue")
                  .asText())
          .isEqualTo("3");
      assertThat(
              throttled
                  .path("messageAttributes")
                  .path("sluice-throttles")
                  .path("dataType")
                  .asText())
          .isEqualTo("String");
      assertThat(throttled.path("eventSource").asText()).isEqualTo("aws:sqs");
      assertThat(throttled.path("eventSourceARN").asText())
          .endsWith(queue.getPath().substring(queue.getPath().lastIndexOf('/') + 1));
      assertThat(source.deleted()).isEqualTo(4);
      assertThat(source.reportedFailed()).isEqualTo(2);
    }
  }

  @Test
  void deliver_whenTheAnswerNamesAnIdNotInTheBatch_leavesTheWholeBatch() {
    URI queue = AWS.sqs.createQueue(SharedAws.unique("source"), 30);
    AWS.sqs.send(queue, List.of("a", "b"));
    LocalFunction function =
        new LocalFunction(
            "f",
            Duration.ofSeconds(30),
            () ->
                (input, output, context) ->
                    output.write(
                        "{\"batchItemFailures\":[{\"itemIdentifier\":\"no-such-id\"}]}"
                            .getBytes(StandardCharsets.UTF_8)),
            Clock.systemUTC(),
            QUIET);

    try (SqsClient sqs = LocalClients.sqs(AWS.sqs.endpoint());
        SqsEventSource source =
            new SqsEventSource(sqs, queue.toString(), "us-east-1", function, 1).start(1)) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> function.invocations() >= 1);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> source.batchesFailed() >= 1);

      assertThat(source.deleted()).isZero();
      assertThat(AWS.sqs.messagesOn(queue)).isEqualTo(2);
    }
  }

  private static SendMessageBatchRequestEntry entry(String id, String body, String throttles) {
    var b = SendMessageBatchRequestEntry.builder().id(id).messageBody(body);
    if (throttles != null) {
      b.messageAttributes(
          Map.of(
              "sluice-throttles",
              MessageAttributeValue.builder().dataType("String").stringValue(throttles).build()));
    }
    return b.build();
  }
}
