package dev.sluice.serverless.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's SQS event source mapping with {@code ReportBatchItemFailures}, batch size 10, no
 * batching window: pollers long-poll the queue for up to ten messages with all their attributes,
 * invoke the function with the Lambda SQS event ({@link LambdaSqsEvent}), then delete the messages
 * the answer does not list in {@code batchItemFailures}. Listed messages are left alone and come
 * back after the queue's visibility timeout, with a higher receive count, until the queue's redrive
 * policy moves them to its dead-letter queue; a failed invocation, or an answer Lambda would not
 * accept ({@link BatchItemFailures}), leaves the whole batch so.
 */
public final class SqsEventSource implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SqsEventSource.class.getName());

  /** Messages per invocation at most, as configured on the mapping. */
  public static final int BATCH_SIZE = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final String queueArn;
  private final String region;
  private final LocalFunction function;
  private final int waitSeconds;
  private final List<Thread> pollers = new ArrayList<>();
  private final AtomicLong invocations = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong reportedFailed = new AtomicLong();
  private final AtomicLong batchesFailed = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param sqs the mapping's own client (not the function's)
   * @param waitSeconds each receive's long-poll wait, 1 to 20: how long {@link #close()} may wait
   */
  public SqsEventSource(
      SqsClient sqs, String queueUrl, String region, LocalFunction function, int waitSeconds) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    this.region = Objects.requireNonNull(region, "region");
    this.function = Objects.requireNonNull(function, "function");
    if (waitSeconds < 1 || waitSeconds > 20) {
      throw new IllegalArgumentException("waitSeconds must be 1 to 20, got " + waitSeconds);
    }
    this.waitSeconds = waitSeconds;
    this.queueArn =
        sqs.getQueueAttributes(
                b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes()
            .get(QueueAttributeName.QUEUE_ARN);
  }

  /** Starts {@code concurrency} pollers, each invoking the function with one batch at a time. */
  public synchronized SqsEventSource start(int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    if (!pollers.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    for (int i = 0; i < concurrency; i++) {
      Thread t = new Thread(this::poll, "sqs-event-source-" + (i + 1));
      t.setDaemon(true);
      pollers.add(t);
      t.start();
    }
    return this;
  }

  /** Invocations of the function so far. */
  public long invocations() {
    return invocations.get();
  }

  /** Messages deleted after their invocation succeeded for them. */
  public long deleted() {
    return deleted.get();
  }

  /** Messages the function listed in {@code batchItemFailures}. */
  public long reportedFailed() {
    return reportedFailed.get();
  }

  /** Batches left whole on the queue: the invocation failed or its answer was not acceptable. */
  public long batchesFailed() {
    return batchesFailed.get();
  }

  private void poll() {
    while (!closed) {
      List<Message> messages;
      try {
        messages =
            sqs.receiveMessage(
                    b ->
                        b.queueUrl(queueUrl)
                            .maxNumberOfMessages(BATCH_SIZE)
                            .waitTimeSeconds(waitSeconds)
                            .messageAttributeNames("All")
                            .messageSystemAttributeNamesWithStrings("All"))
                .messages();
      } catch (SdkException e) {
        if (closed) {
          return;
        }
        LOG.log(
            System.Logger.Level.WARNING, "receive from {0} failed: {1}", queueUrl, e.toString());
        pause();
        continue;
      }
      if (!messages.isEmpty()) {
        deliver(messages);
      }
    }
  }

  /** One invocation with {@code messages}, then the deletes the answer calls for. */
  void deliver(List<Message> messages) {
    Set<String> ids = messages.stream().map(Message::messageId).collect(Collectors.toSet());
    Optional<Set<String>> failed;
    invocations.incrementAndGet();
    try {
      failed =
          BatchItemFailures.of(function.invoke(LambdaSqsEvent.of(messages, queueArn, region)), ids);
    } catch (FunctionErrorException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}; the batch stays on the queue", e.getMessage());
      failed = Optional.empty();
    }
    if (failed.isEmpty()) {
      batchesFailed.incrementAndGet();
      return;
    }
    Set<String> failedIds = failed.get();
    reportedFailed.addAndGet(failedIds.size());
    List<Message> done = messages.stream().filter(m -> !failedIds.contains(m.messageId())).toList();
    delete(done);
  }

  private void delete(List<Message> done) {
    if (done.isEmpty()) {
      return;
    }
    List<DeleteMessageBatchRequestEntry> entries =
        IntStream.range(0, done.size())
            .mapToObj(
                i ->
                    DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .receiptHandle(done.get(i).receiptHandle())
                        .build())
            .toList();
    try {
      var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      deleted.addAndGet(response.successful().size());
      if (!response.failed().isEmpty()) {
        // Not deleted: they come back after the visibility timeout and are handled again, which the
        // function tolerates (execution names make a repeat start the same execution).
        LOG.log(System.Logger.Level.WARNING, "messages not deleted: {0}", response.failed());
      }
    } catch (SdkException e) {
      LOG.log(System.Logger.Level.WARNING, "DeleteMessageBatch failed: {0}", e.toString());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops polling; waits for the batches in progress (at most a long poll and an invocation). */
  @Override
  public void close() {
    closed = true;
    List<Thread> threads;
    synchronized (this) {
      threads = List.copyOf(pollers);
    }
    for (Thread t : threads) {
      try {
        t.join((waitSeconds + 30) * 1000L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
