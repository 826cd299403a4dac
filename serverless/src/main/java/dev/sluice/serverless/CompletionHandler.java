package dev.sluice.serverless;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The completion function, fed by an EventBridge rule on the state machine's "Step Functions
 * Execution Status Change" events: frees the in-flight slot of an execution that ended and retries
 * or dead-letters a failed one (see {@link Completer}). Fails the invocation when a retry or dead
 * letter could not be sent, so EventBridge delivers the event again.
 */
public final class CompletionHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Completer completer;
  private final PrintStream log;
  private final String pipeline;
  private final Clock clock;

  /** The function's handler: settings from the environment, clients once per container. */
  public CompletionHandler() {
    this(
        System.getenv(),
        SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        Clock.systemUTC(),
        System.out);
  }

  /** A handler with the given environment, clients and clock (tests, local runs). */
  public CompletionHandler(
      Map<String, String> env, SqsClient sqs, DynamoDbClient dynamo, Clock clock, PrintStream log) {
    CompletionSettings settings = CompletionSettings.fromEnvironment(env);
    this.completer =
        new Completer(
            DynamoLimitStateStore.slotsToFree(dynamo, settings.tableName()),
            new BatchSender(sqs, settings.eventQueueUrl()),
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
    Completer.Result result = completer.complete(JSON.readTree(input.readAllBytes()));
    ObjectNode summary = JSON.createObjectNode();
    summary.put("result", result.name());
    log.println(summary);
    if (result == Completer.Result.RETRIED || result == Completer.Result.DEAD_LETTERED) {
      log.println(
          EmbeddedMetrics.line(
              pipeline,
              clock.instant(),
              Map.of(
                  "Failed",
                  1,
                  result == Completer.Result.RETRIED ? "Retried" : "DeadLettered",
                  1)));
    }
    output.write(JSON.writeValueAsBytes(summary));
  }
}
