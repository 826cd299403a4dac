package dev.sluice.serverless;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The intake function: S3 ObjectCreated notifications to the event queue ({@link
 * EventQueueIntake}). Environment: {@code EVENT_QUEUE_URL}, optional {@code KEY_PREFIX}, {@code
 * KEY_SUFFIX}. A notification that cannot be read, or whose events could not all be sent, fails the
 * invocation, so S3's asynchronous invoke retries it. Prints one JSON line per notification.
 */
public final class IntakeHandler implements RequestStreamHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventQueueIntake intake;
  private final PrintStream log;

  /** The function's handler: settings from the environment, one SQS client per container. */
  public IntakeHandler() {
    this(
        System.getenv(),
        SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build(),
        System.out);
  }

  /** A handler with the given environment and client (tests, local runs). */
  public IntakeHandler(Map<String, String> env, SqsClient sqs, PrintStream log) {
    this.intake = new EventQueueIntake(sqs, IntakeSettings.fromEnvironment(env));
    this.log = log;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    EventQueueIntake.Result result = intake.accept(input.readAllBytes());
    ObjectNode summary = JSON.createObjectNode();
    summary.put("sent", result.sent());
    summary.put("dropped", result.dropped().size());
    summary.put("rejected", result.rejected().size());
    if (!result.rejected().isEmpty()) {
      var reasons = summary.putArray("rejectedReasons");
      result.rejected().forEach(r -> reasons.add("record " + r.index() + ": " + r.reason()));
    }
    log.println(summary);
    output.write(JSON.writeValueAsBytes(summary));
  }
}
