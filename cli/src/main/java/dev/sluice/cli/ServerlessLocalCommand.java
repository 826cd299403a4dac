package dev.sluice.cli;

import dev.sluice.serverless.local.ServerlessLocalRun;
import dev.sluice.serverless.local.ServerlessLocalSettings;
import dev.sluice.service.config.DurationText;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice serverless-local}: the serverless shape on this machine. The four Lambda handlers
 * run in this process on the real AWS SDK, against ElasticMQ, dynalite and a local Step Functions
 * endpoint (or endpoints that already run), fed by the embedded S3 endpoint.
 */
@Command(
    name = "serverless-local",
    description = {
      "Run the serverless shape's four Lambda handlers in this process, wired as on AWS, and",
      "upload a burst of objects through it. Ends with the executions started per tick, counted",
      "from the Step Functions endpoint's record, e.g. `invocations per tick: 50 50 15`."
    })
final class ServerlessLocalCommand implements Callable<Integer> {
  @Option(
      names = "--objects",
      paramLabel = "N",
      description = "Objects to upload (default ${DEFAULT-VALUE}).")
  int objects = ServerlessLocalSettings.DEFAULT_OBJECTS;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Executions released per tick at most (default ${DEFAULT-VALUE}).")
  int limit = ServerlessLocalSettings.DEFAULT_LIMIT;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      description = "The schedule's period, whole seconds (default ${DEFAULT-VALUE}).")
  String every = "2s";

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      description = "Executions running at once at most (default: no such limit).")
  Integer maxInFlight;

  @Option(
      names = "--execution-time",
      paramLabel = "DURATION",
      description = "How long each execution of the embedded state machine runs (default 0).")
  String executionTime = "0s";

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Give up when not every execution started by then (default ${DEFAULT-VALUE}).")
  String timeout = "10m";

  @Option(
      names = "--sqs-endpoint",
      paramLabel = "URL",
      description = "Use this SQS endpoint instead of an embedded ElasticMQ.")
  String sqsEndpoint;

  @Option(names = "--event-queue-url", paramLabel = "URL", description = "With --sqs-endpoint.")
  String eventQueueUrl;

  @Option(
      names = "--invocation-queue-url",
      paramLabel = "URL",
      description = "With --sqs-endpoint.")
  String invocationQueueUrl;

  @Option(
      names = "--invocation-dlq-url",
      paramLabel = "URL",
      description = "With --sqs-endpoint (default: from the invocation queue's redrive policy).")
  String invocationDlqUrl;

  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description = "Use this DynamoDB endpoint instead of dynalite.")
  String dynamoDbEndpoint;

  @Option(names = "--table", paramLabel = "NAME", description = "With --dynamodb-endpoint.")
  String table;

  @Option(
      names = "--sfn-endpoint",
      paramLabel = "URL",
      description = "Use this Step Functions endpoint instead of the embedded one.")
  String sfnEndpoint;

  @Option(names = "--state-machine-arn", paramLabel = "ARN", description = "With --sfn-endpoint.")
  String stateMachineArn;

  @Option(names = "--verbose", description = "Print the functions' own log lines on stderr.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    ServerlessLocalSettings settings;
    try {
      settings =
          new ServerlessLocalSettings(
              objects,
              limit,
              duration("--every", every),
              maxInFlight,
              duration("--execution-time", executionTime),
              duration("--timeout", timeout),
              uri("--sqs-endpoint", sqsEndpoint),
              eventQueueUrl,
              invocationQueueUrl,
              invocationDlqUrl,
              uri("--dynamodb-endpoint", dynamoDbEndpoint),
              table,
              uri("--sfn-endpoint", sfnEndpoint),
              stateMachineArn,
              verbose);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    quietServerLogs();
    return new ServerlessLocalRun(settings, System.out, System.err, Clock.systemUTC()).run();
  }

  private static Duration duration(String option, String text) {
    if ("0".equals(text.strip())) {
      return Duration.ZERO;
    }
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  private static URI uri(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(option + ": not a URL: '" + text + "'");
    }
  }

  /**
   * The embedded servers log every queue and connector at INFO; the command's own lines are the
   * progress to read. Set before the first logger is made (slf4j-simple reads them then).
   */
  private static void quietServerLogs() {
    for (String logger :
        new String[] {"org.elasticmq", "org.apache.pekko", "org.gaul", "org.eclipse.jetty"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, "warn");
      }
    }
  }
}
