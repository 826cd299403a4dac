package dev.sluice.sources.sqs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Keeps a received batch invisible while its commit runs: every half visibility timeout it sets the
 * batch's visibility to a full timeout again (one ChangeMessageVisibilityBatch call), so a slow
 * commit never lets another consumer take the same messages.
 */
final class VisibilityExtender {
  private static final Logger LOG = LoggerFactory.getLogger(VisibilityExtender.class);

  private final SqsClient sqs;
  private final String queueUrl;
  private final Duration visibilityTimeout;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong extensions = new AtomicLong();

  VisibilityExtender(
      SqsClient sqs,
      String queueUrl,
      Duration visibilityTimeout,
      ScheduledExecutorService scheduler) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.visibilityTimeout = visibilityTimeout;
    this.scheduler = scheduler;
  }

  /** Starts extending; closing the returned handle stops it (before the batch is deleted). */
  Extension keepInvisible(List<Message> batch) {
    long period = Math.max(1, visibilityTimeout.toMillis() / 2);
    List<ChangeMessageVisibilityBatchRequestEntry> entries =
        batch.stream()
            .map(
                m ->
                    ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout((int) visibilityTimeout.toSeconds())
                        .build())
            .toList();
    ScheduledFuture<?> task =
        scheduler.scheduleAtFixedRate(() -> extend(entries), period, period, TimeUnit.MILLISECONDS);
    return () -> task.cancel(false);
  }

  private void extend(List<ChangeMessageVisibilityBatchRequestEntry> entries) {
    try {
      var response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(entries));
      extensions.incrementAndGet();
      response
          .failed()
          .forEach(
              f -> LOG.warn("cannot extend visibility of message {}: {}", f.id(), f.message()));
    } catch (SdkException e) {
      // The next tick tries again; if every tick fails the messages come back and are committed
      // a second time, which the backlog's identity dedup absorbs.
      LOG.warn("cannot extend visibility of {} messages: {}", entries.size(), e.toString());
    }
  }

  long extensions() {
    return extensions.get();
  }

  /** Stops the extension of one batch. */
  interface Extension extends AutoCloseable {
    @Override
    void close();
  }
}
