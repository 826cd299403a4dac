package dev.sluice.serverless;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.gate.stored.ConcurrencyPolicy;
import dev.sluice.core.gate.stored.StoredLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The invoke function, fed by the invocation queue (batch size 10, {@code
 * ReportBatchItemFailures}): starts one execution per message (see {@link Invoker}) and answers
 * {@code {"batchItemFailures": [{"itemIdentifier": messageId}, ...]}} so that only the failed
 * messages come back.
 */
public final class InvokeHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Invoker invoker;
  private final PrintStream log;
  private final String pipeline;
  private final Clock clock;

  /** The function's handler: settings from the environment, clients once per container. */
  public InvokeHandler() {
    this(
        System.getenv(),
        SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        Clock.systemUTC(),
        System.out);
  }

  /** A handler with the given environment, clients and clock (tests, local runs). */
  public InvokeHandler(
      Map<String, String> env,
      SfnClient sfn,
      SqsClient sqs,
      DynamoDbClient dynamo,
      Clock clock,
      PrintStream log) {
    InvokeSettings settings = InvokeSettings.fromEnvironment(env);
    this.invoker =
        new Invoker(
            new ExecutionStarter(sfn, settings.stateMachineArn()),
            new StoredLimit<>(
                // Only frees slots here: the limit's size is the scheduler's to check.
                new ConcurrencyPolicy(Integer.MAX_VALUE, Duration.ofDays(365)),
                DynamoLimitStateStore.inFlight(dynamo, settings.tableName())),
            new BatchSender(sqs, settings.invocationQueueUrl()),
            new BatchSender(sqs, settings.deadLetterQueueUrl()),
            settings,
            clock);
    this.log = log;
    this.pipeline = env.getOrDefault("PIPELINE", "sluice");
    this.clock = clock;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Invoker.Report report = invoker.invoke(records(JSON.readTree(input.readAllBytes())));
    ObjectNode summary = JSON.createObjectNode();
    summary.put("started", report.started());
    summary.put("duplicates", report.duplicates());
    summary.put("throttled", report.throttled());
    summary.put("deadLettered", report.deadLettered());
    summary.put("retriedLater", report.retriedLater());
    log.println(summary);
    log.println(
        EmbeddedMetrics.line(
            pipeline,
            clock.instant(),
            Map.of(
                "Started", report.started(),
                "Throttled", report.throttled(),
                "DeadLettered", report.deadLettered())));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode failures = answer.putArray("batchItemFailures");
    report.failedMessageIds().forEach(id -> failures.addObject().put("itemIdentifier", id));
    output.write(JSON.writeValueAsBytes(answer));
  }

  /** The messages of a Lambda SQS event. */
  static List<Invoker.QueueRecord> records(JsonNode event) {
    List<Invoker.QueueRecord> records = new ArrayList<>();
    JsonNode list = event == null ? null : event.get("Records");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("not an SQS event: no Records array");
    }
    for (JsonNode r : list) {
      JsonNode attributes = r.path("attributes");
      int receives = attributes.path("ApproximateReceiveCount").asInt(1);
      int throttles =
          r.path("messageAttributes").path(Invoker.THROTTLES).path("stringValue").asInt(0);
      records.add(
          new Invoker.QueueRecord(
              r.path("messageId").asText(), r.path("body").asText(), receives, throttles));
    }
    return records;
  }
}
