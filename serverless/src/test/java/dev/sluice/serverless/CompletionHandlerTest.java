package dev.sluice.serverless;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompletionHandlerTest {
  private static final LocalAws AWS = LocalAws.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private final String table = AWS.newTable();
  private final URI events = AWS.sqs.createQueue(LocalAws.unique("events"), 30);
  private final URI dlq = AWS.sqs.createQueue(LocalAws.unique("dlq"), 30);

  private CompletionHandler handler() {
    return new CompletionHandler(
        Map.of(
            "TABLE_NAME",
            table,
            "EVENT_QUEUE_URL",
            events.toString(),
            "INVOCATION_DLQ_URL",
            dlq.toString(),
            "STATE_MACHINE_ARN",
            MACHINE),
        AWS.proxiedSqs,
        AWS.dynamo.client(),
        Clock.systemUTC(),
        QUIET);
  }

  /** The slots as the scheduler function takes them: its own limit object on the same table. */
  private StoredLimit<InFlightSlots> schedulerSlots() {
    return new StoredLimit<>(
        new ConcurrencyPolicy(5, Duration.ofHours(24)),
        DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table));
  }

  private static String succeeded(String name) {
    ObjectNode event = JSON.createObjectNode();
    event.put("source", "aws.states");
    event.put("detail-type", "Step Functions Execution Status Change");
    ObjectNode detail = event.putObject("detail");
    detail.put("stateMachineArn", MACHINE);
    detail.put("name", name);
    detail.put("status", "SUCCEEDED");
    detail.put("input", "{}");
    return event.toString();
  }

  private static void invoke(CompletionHandler handler, String event) throws Exception {
    handler.handleRequest(
        new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        null);
  }

  @Test
  void handleRequest_inAWarmContainer_freesASlotTakenSinceItsLastInvocation() throws Exception {
    CompletionHandler warm = handler();
    Instant now = Instant.now();
    schedulerSlots().reserve(now, List.of("first"));
    invoke(warm, succeeded("first"));
    // The scheduler takes another slot after the container last wrote the slots.
    schedulerSlots().reserve(now, List.of("second"));

    invoke(warm, succeeded("second"));

    assertThat(
            DynamoLimitStateStore.inFlight(AWS.dynamo.client(), table)
                .load(ConcurrencyPolicy.KEY)
                .state()
                .holders())
        .isEmpty();
  }
}
