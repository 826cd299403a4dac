package dev.sluice.serverless.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The two standard queues of the serverless shape, each with its own dead-letter queue: the event
 * queue (the backlog: events accepted and not yet released) and the invocation queue (released jobs
 * waiting for the invoke function). All four are encrypted with SQS-managed keys, refuse requests
 * without TLS, and keep messages for the longest SQS allows, because a backlog may wait.
 */
final class SluiceQueues extends Construct {

  private static final Duration RETENTION = Duration.days(14);

  private final Queue eventQueue;
  private final Queue eventDeadLetterQueue;
  private final Queue invocationQueue;
  private final Queue invocationDeadLetterQueue;

  /**
   * @param schedulerTimeout how long the scheduler may hold a received event before deleting it
   * @param invokeTimeout the invoke function's timeout
   */
  SluiceQueues(
      Construct scope,
      String id,
      SluiceSettings settings,
      Duration schedulerTimeout,
      Duration invokeTimeout) {
    super(scope, id);
    this.eventDeadLetterQueue = queue("EventDeadLetterQueue", Duration.seconds(30));
    // The scheduler receives events, sends them on and deletes them within one run; twice its
    // timeout keeps an event it is still moving from being received by the next tick.
    this.eventQueue =
        Queue.Builder.create(this, "EventQueue")
            .visibilityTimeout(Duration.seconds(2 * schedulerTimeout.toSeconds().longValue()))
            .retentionPeriod(RETENTION)
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(eventDeadLetterQueue)
                    .maxReceiveCount(settings.maxReceiveCount())
                    .build())
            .build();
    this.invocationDeadLetterQueue = queue("InvocationDeadLetterQueue", Duration.seconds(30));
    // Lambda's advice for an SQS event source: at least six times the function's timeout, so a
    // batch retried after a throttle is not received twice.
    this.invocationQueue =
        Queue.Builder.create(this, "InvocationQueue")
            .visibilityTimeout(Duration.seconds(6 * invokeTimeout.toSeconds().longValue()))
            .retentionPeriod(RETENTION)
            .encryption(QueueEncryption.SQS_MANAGED)
            .enforceSsl(true)
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(invocationDeadLetterQueue)
                    .maxReceiveCount(settings.maxReceiveCount())
                    .build())
            .build();
  }

  private Queue queue(String id, Duration visibility) {
    return Queue.Builder.create(this, id)
        .visibilityTimeout(visibility)
        .retentionPeriod(RETENTION)
        .encryption(QueueEncryption.SQS_MANAGED)
        .enforceSsl(true)
        .build();
  }

  Queue eventQueue() {
    return eventQueue;
  }

  Queue eventDeadLetterQueue() {
    return eventDeadLetterQueue;
  }

  Queue invocationQueue() {
    return invocationQueue;
  }

  Queue invocationDeadLetterQueue() {
    return invocationDeadLetterQueue;
  }
}
