package dev.sluice.serverless;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The scheduler function, invoked by EventBridge Scheduler with {@code {"scheduledTime":
 * "<aws.scheduler.scheduled-time>"}}: runs the {@link Scheduler}'s tick for that time. Also takes
 * an EventBridge rule's scheduled event (its {@code time}); with neither, the tick is now's. The
 * environment is read by {@link SchedulerSettings#fromEnvironment}. Answers the tick's report as
 * JSON.
 */
public final class SchedulerHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Stop receiving when less than this is left of the invocation's time. */
  static final long STOP_BEFORE_DEADLINE_MILLIS = 10_000;

  private final Scheduler scheduler;
  private final Clock clock;

  /** The function's handler: settings from the environment, clients once per container. */
  public SchedulerHandler() {
    this(
        System.getenv(),
        SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        Clock.systemUTC(),
        System.out);
  }

  /** A handler with the given environment, clients and clock (tests, local runs). */
  public SchedulerHandler(
      Map<String, String> env, SqsClient sqs, DynamoDbClient dynamo, Clock clock, PrintStream log) {
    SchedulerSettings settings = SchedulerSettings.fromEnvironment(env);
    this.scheduler =
        new Scheduler(
            sqs,
            DynamoLimitStateStore.ticks(dynamo, settings.tableName()),
            DynamoLimitStateStore.inFlight(dynamo, settings.tableName()),
            settings,
            log);
    this.clock = clock;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Instant scheduled = scheduledTime(input.readAllBytes());
    TickReport report =
        scheduler.runTick(
            scheduled,
            () ->
                context == null
                    || context.getRemainingTimeInMillis() > STOP_BEFORE_DEADLINE_MILLIS);
    output.write(report.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The scheduled time the input names, or the start of now's tick. */
  Instant scheduledTime(byte[] input) {
    JsonNode root = null;
    try {
      root = input.length == 0 ? null : JSON.readTree(input);
    } catch (IOException e) {
      // Not JSON: no scheduled time given.
    }
    if (root != null && root.isObject()) {
      for (String field : new String[] {"scheduledTime", "time"}) {
        JsonNode t = root.get(field);
        if (t != null && t.isTextual()) {
          try {
            return Instant.parse(t.textValue());
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                field
                    + " must be an ISO-8601 instant such as 2026-03-01T12:00:00Z, got '"
                    + t.textValue()
                    + "'",
                e);
          }
        }
      }
    }
    return scheduler.tickOf(clock.instant());
  }
}
