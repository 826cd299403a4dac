package dev.sluice.serverless;

import static dev.sluice.serverless.LocalAws.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class IntakeHandlerTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private IntakeHandler handler(URI queue) {
    return new IntakeHandler(
        Map.of("EVENT_QUEUE_URL", queue.toString()), AWS.proxiedSqs, new PrintStream(logged, true));
  }

  private static void invoke(IntakeHandler handler, String notification) throws Exception {
    handler.handleRequest(
        new ByteArrayInputStream(notification.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        null);
  }

  @Test
  void handleRequest_s3Notification_putsSluiceMessagesWithDecodedKeysOnTheEventQueue()
      throws Exception {
    URI queue = AWS.sqs.createQueue(LocalAws.unique("events"), 30);

    invoke(handler(queue), fixture("a-DERIVED-s3-put-plus-for-space-red-flower"));

    List<Message> messages = AWS.sqs.drain(queue);
    assertThat(messages).hasSize(1);
    JsonNode body = JSON.readTree(messages.get(0).body());
    assertThat(body.get("sluice").intValue()).isEqualTo(1);
    assertThat(body.get("bucket").textValue()).isEqualTo("mybucket");
    assertThat(body.get("key").textValue()).isEqualTo("red flower.jpg");
    assertThat(body.get("size").longValue()).isEqualTo(1024);
    assertThat(body.get("eTag").textValue()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(body.get("versionId").textValue()).isEqualTo("096fKKXTRTtl3on89fVO.nfljtsv6qko");
    assertThat(body.get("sequencer").textValue()).isEqualTo("0055AED6DCD90281E5");
    assertThat(body.get("eventName").textValue()).isEqualTo("ObjectCreated:Put");
    assertThat(body.get("eventTime").textValue()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(body.get("source").textValue()).isEqualTo("s3");
    assertThat(body.get("attempt").intValue()).isEqualTo(1);
    assertThat(logged.toString()).contains("\"sent\":1");
  }

  @Test
  void handleRequest_testEvent_sendsNothing() throws Exception {
    URI queue = AWS.sqs.createQueue(LocalAws.unique("events"), 30);

    invoke(handler(queue), fixture("b-s3-test-event-aws-doc"));

    assertThat(AWS.sqs.messagesOn(queue)).isZero();
    assertThat(logged.toString()).contains("\"dropped\":1");
  }

  @Test
  void handleRequest_withAPrefix_sendsOnlyKeysUnderIt() throws Exception {
    URI queue = AWS.sqs.createQueue(LocalAws.unique("events"), 30);
    IntakeHandler handler =
        new IntakeHandler(
            Map.of("EVENT_QUEUE_URL", queue.toString(), "KEY_PREFIX", "incoming/"),
            AWS.proxiedSqs,
            new PrintStream(logged, true));

    invoke(handler, fixture("a-s3-put-aws-doc-example"));

    assertThat(AWS.sqs.messagesOn(queue)).isZero();
    URI other = AWS.sqs.createQueue(LocalAws.unique("events"), 30);
    IntakeHandler happy =
        new IntakeHandler(
            Map.of("EVENT_QUEUE_URL", other.toString(), "KEY_PREFIX", "Happy"),
            AWS.proxiedSqs,
            new PrintStream(logged, true));
    invoke(happy, fixture("a-s3-put-aws-doc-example"));
    assertThat(AWS.sqs.messagesOn(other)).isEqualTo(1); // HappyFace.jpg is under "Happy"
  }

  @Test
  void handleRequest_whenTheSendFails_throwsNamingWhatWasNotSent() throws Exception {
    String name = LocalAws.unique("events");
    URI queue = AWS.sqs.createQueue(name, 30);
    AWS.proxy.failSendEntries(name, 1.0, 1);
    try {
      assertThatThrownBy(
              () -> invoke(handler(queue), fixture("a-DERIVED-s3-put-plus-for-space-red-flower")))
          .isInstanceOf(UnsentEventsException.class)
          .hasMessageContaining("1 of 1 events not sent")
          .hasMessageContaining("mybucket/red flower.jpg")
          .hasMessageContaining("InternalError");
    } finally {
      AWS.proxy.stopFailing();
    }
    assertThat(AWS.sqs.messagesOn(queue)).isZero();
  }

  @Test
  void constructor_withoutTheQueue_namesTheVariable() {
    assertThatThrownBy(() -> new IntakeHandler(Map.of(), AWS.proxiedSqs, System.out))
        .hasMessageContaining("EVENT_QUEUE_URL is required");
  }
}
