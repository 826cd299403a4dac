package dev.sluice.serverless;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.targets.aws.AwsClients;
import dev.sluice.targets.aws.LambdaTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The invoke function, fed by the invocation queue (batch size 10, {@code
 * ReportBatchItemFailures}): starts one job per message at the target — a Step Functions execution
 * ({@code STATE_MACHINE_ARN}) or a Lambda invocation ({@code TARGET_FUNCTION}) — (see {@link
 * Invoker}) and answers {@code {"batchItemFailures": [{"itemIdentifier": messageId}, ...]}} so that
 * only the failed messages come back.
 */
public final class InvokeHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How long one {@code Invoke} may take: a {@code RequestResponse} invocation lasts as long as the
   * function runs, at most Lambda's 15 minutes; the invoke function's own timeout ends it sooner.
   */
  private static final Duration INVOKE_CALL_TIMEOUT = Duration.ofMinutes(15);

  private final Invoker invoker;
  private final PrintStream log;
  private final String pipeline;
  private final Clock clock;

  /** The function's handler: settings from the environment, clients once per container. */
  public InvokeHandler() {
    this(System.getenv(), InvokeSettings.fromEnvironment(System.getenv()));
  }

  private InvokeHandler(Map<String, String> env, InvokeSettings settings) {
    this(
        env,
        settings.stateMachineArn() == null
            ? null
            : SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        settings.targetFunction() == null
            ? null
            : AwsClients.lambda(null, null, INVOKE_CALL_TIMEOUT),
        SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        Clock.systemUTC(),
        System.out);
  }

  /** A handler that starts executions, with the given environment, clients and clock (tests). */
  public InvokeHandler(
      Map<String, String> env,
      SfnClient sfn,
      SqsClient sqs,
      DynamoDbClient dynamo,
      Clock clock,
      PrintStream log) {
    this(env, sfn, null, sqs, dynamo, clock, log);
  }

  /** A handler that invokes a function, with the given environment, clients and clock (tests). */
  public InvokeHandler(
      Map<String, String> env,
      LambdaClient lambda,
      SqsClient sqs,
      DynamoDbClient dynamo,
      Clock clock,
      PrintStream log) {
    this(env, null, lambda, sqs, dynamo, clock, log);
  }

  private InvokeHandler(
      Map<String, String> env,
      SfnClient sfn,
      LambdaClient lambda,
      SqsClient sqs,
      DynamoDbClient dynamo,
      Clock clock,
      PrintStream log) {
    InvokeSettings settings = InvokeSettings.fromEnvironment(env);
    this.invoker =
        new Invoker(
            starter(settings, sfn, lambda),
            DynamoLimitStateStore.slotsToFree(dynamo, settings.tableName()),
            new BatchSender(sqs, settings.invocationQueueUrl()),
            new BatchSender(sqs, settings.deadLetterQueueUrl()),
            settings,
            clock);
    this.log = log;
    this.pipeline = env.getOrDefault("PIPELINE", "sluice");
    this.clock = clock;
  }

  private static JobStarter starter(InvokeSettings settings, SfnClient sfn, LambdaClient lambda) {
    if (settings.stateMachineArn() != null) {
      return new ExecutionStarter(
          Objects.requireNonNull(sfn, "STATE_MACHINE_ARN is set: a Step Functions client"),
          settings.stateMachineArn());
    }
    return new InvocationStarter(
        new LambdaTarget(
            Objects.requireNonNull(lambda, "TARGET_FUNCTION is set: a Lambda client"),
            settings.targetFunction(),
            false));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Invoker.Report report = invoker.invoke(records(JSON.readTree(input.readAllBytes())));
    ObjectNode summary = JSON.createObjectNode();
    summary.put("started", report.started());
    summary.put("completed", report.completed());
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
                // Jobs the target took: executions begun, invocations answered.
                "Started",
                report.started() + report.completed(),
                "Throttled",
                report.throttled(),
                "DeadLettered",
                report.deadLettered(),
                // Every start that failed: handed out again by SQS, or dead-lettered.
                "Failed",
                report.retriedLater() + report.deadLettered())));
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
