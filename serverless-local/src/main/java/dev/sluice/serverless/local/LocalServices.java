package dev.sluice.serverless.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.localaws.LocalClients;
import dev.sluice.localaws.LocalDynamo;
import dev.sluice.localaws.LocalSqs;
import dev.sluice.sfnlocal.LocalStepFunctions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS services {@code sluice serverless-local} runs against: for each, one started here and
 * closed with this object (ElasticMQ with the two queues and their dead-letter queues, dynalite
 * with the table, the local Step Functions endpoint with one state machine), or one that runs
 * already, with the resources named in the settings.
 */
final class LocalServices implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String EVENT_QUEUE = "sluice-events";
  static final String INVOCATION_QUEUE = "sluice-invocations";
  static final String TABLE = "sluice-limits";
  static final String STATE_MACHINE = "sluice-target";

  /** Visibility timeouts of the queues made here: long enough for a tick and an invocation. */
  static final int VISIBILITY_SECONDS = 30;

  /** Receives before a message moves to its dead-letter queue, as deployed. */
  static final int MAX_RECEIVE_COUNT = 5;

  final URI sqsEndpoint;
  final URI dynamoDbEndpoint;
  final URI sfnEndpoint;
  final FunctionResources resources;

  /** The embedded Step Functions endpoint, or null when one that runs already is used. */
  final LocalStepFunctions sfn;

  /** What each service is, for the command's header. */
  final List<String> description;

  private final List<AutoCloseable> started;

  private LocalServices(
      URI sqsEndpoint,
      URI dynamoDbEndpoint,
      URI sfnEndpoint,
      FunctionResources resources,
      LocalStepFunctions sfn,
      List<String> description,
      List<AutoCloseable> started) {
    this.sqsEndpoint = sqsEndpoint;
    this.dynamoDbEndpoint = dynamoDbEndpoint;
    this.sfnEndpoint = sfnEndpoint;
    this.resources = resources;
    this.sfn = sfn;
    this.description = List.copyOf(description);
    this.started = started;
  }

  /** Starts what the settings do not point at; on failure, stops what it started. */
  static LocalServices start(ServerlessLocalSettings s) {
    List<AutoCloseable> started = new ArrayList<>();
    List<String> description = new ArrayList<>();
    try {
      URI sqs;
      String eventQueue;
      String invocationQueue;
      String invocationDlq;
      if (s.sqsEndpoint() == null) {
        LocalSqs localSqs = LocalSqs.start();
        started.add(localSqs);
        sqs = localSqs.endpoint();
        eventQueue =
            localSqs
                .createQueueWithDeadLetter(EVENT_QUEUE, VISIBILITY_SECONDS, MAX_RECEIVE_COUNT)
                .queue()
                .toString();
        LocalSqs.QueueWithDeadLetter invocations =
            localSqs.createQueueWithDeadLetter(
                INVOCATION_QUEUE, VISIBILITY_SECONDS, MAX_RECEIVE_COUNT);
        invocationQueue = invocations.queue().toString();
        invocationDlq = invocations.deadLetterQueue().toString();
        description.add("SQS                ElasticMQ in this process, " + sqs);
      } else {
        sqs = s.sqsEndpoint();
        eventQueue = s.eventQueueUrl();
        invocationQueue = s.invocationQueueUrl();
        invocationDlq =
            s.invocationDeadLetterQueueUrl() != null
                ? s.invocationDeadLetterQueueUrl()
                : deadLetterQueueOf(sqs, invocationQueue);
        description.add("SQS                " + sqs);
      }

      URI dynamo;
      String table;
      if (s.dynamoDbEndpoint() == null) {
        LocalDynamo localDynamo = LocalDynamo.start();
        started.add(localDynamo);
        dynamo = localDynamo.endpoint();
        table = TABLE;
        localDynamo.createTable(table);
        description.add("DynamoDB           dynalite (npm), " + dynamo);
      } else {
        dynamo = s.dynamoDbEndpoint();
        table = s.table();
        description.add("DynamoDB           " + dynamo);
      }

      URI sfnEndpoint;
      String machine;
      LocalStepFunctions sfn = null;
      if (s.sfnEndpoint() == null) {
        sfn =
            LocalStepFunctions.builder()
                .stateMachine(STATE_MACHINE)
                .executionDuration(s.executionTime())
                .start();
        started.add(sfn);
        sfnEndpoint = sfn.endpoint();
        machine = sfn.stateMachineArn(STATE_MACHINE);
        description.add(
            "Step Functions     local endpoint in this process, "
                + sfnEndpoint
                + " (executions run "
                + s.executionTime().toMillis()
                + " ms)");
      } else {
        sfnEndpoint = s.sfnEndpoint();
        machine = s.stateMachineArn();
        description.add(
            "Step Functions     "
                + sfnEndpoint
                + " (its status changes do not reach the completion function)");
      }
      FunctionResources resources =
          new FunctionResources(eventQueue, invocationQueue, invocationDlq, table, machine);
      return new LocalServices(sqs, dynamo, sfnEndpoint, resources, sfn, description, started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** The URL of the dead-letter queue the invocation queue's redrive policy names. */
  private static String deadLetterQueueOf(URI sqsEndpoint, String queueUrl) {
    try (SqsClient sqs = LocalClients.sqs(sqsEndpoint)) {
      String policy =
          sqs.getQueueAttributes(
                  b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY))
              .attributes()
              .get(QueueAttributeName.REDRIVE_POLICY);
      if (policy == null || policy.isBlank()) {
        throw new IllegalArgumentException(
            "--invocation-queue-url: "
                + queueUrl
                + " has no redrive policy; give its dead-letter queue with --invocation-dlq-url");
      }
      JsonNode arn = JSON.readTree(policy).get("deadLetterTargetArn");
      if (arn == null || !arn.isTextual()) {
        throw new IllegalArgumentException(
            "--invocation-queue-url: its redrive policy names no deadLetterTargetArn: " + policy);
      }
      String name = arn.textValue().substring(arn.textValue().lastIndexOf(':') + 1);
      return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
    } catch (SdkException e) {
      throw new IllegalArgumentException(
          "--invocation-queue-url: cannot read "
              + queueUrl
              + " at "
              + sqsEndpoint
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--invocation-queue-url: its redrive policy is not JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeAll(started);
  }

  private static void closeAll(List<AutoCloseable> started) {
    List<AutoCloseable> reversed = new ArrayList<>(started);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing on the way out: nothing left to do about it.
      }
    }
  }
}
