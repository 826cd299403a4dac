package dev.sluice.sources.sqs;

import dev.sluice.ingest.MessageIntake;
import dev.sluice.ingest.MessageVerdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Polls one SQS queue of notifications on its own thread. Each round: one long-poll receive of up
 * to {@code maxMessages}; the bodies go to the {@link MessageIntake}, with the batch kept invisible
 * while it commits; then one DeleteMessageBatch for the messages whose events are committed.
 *
 * <p>A message is deleted only after the intake returned {@link MessageVerdict#COMMITTED} for it,
 * so a crash at any instant leaves every uncommitted message on the queue. A message the intake can
 * never read is not deleted: it comes back after its visibility timeout until the queue's redrive
 * policy moves it to the dead-letter queue. A failed SQS call or commit backs off and retries; the
 * poller stops only when closed.
 */
public final class SqsSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);

  /** Room beyond the long-poll wait before a silent connection counts as broken. */
  private static final Duration READ_MARGIN = Duration.ofSeconds(10);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final AbortableHttpClient http;
  private final SqsClient sqs;
  private final SqsSourceSettings settings;
  private final MessageIntake intake;
  private final String queueUrl;
  private final ScheduledExecutorService extenderThread;
  private final VisibilityExtender extender;
  private final Backoff backoff;
  private final Thread poller;
  private final Object pause = new Object();
  private volatile boolean running;
  private volatile boolean receiving;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong leftForRedrive = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  private SqsSource(SqsClientBuilder client, SqsSourceSettings settings, MessageIntake intake) {
    this.http =
        new AbortableHttpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(settings.waitTime().plus(READ_MARGIN))
                .build());
    this.sqs = client.httpClient(http).build();
    this.settings = settings;
    this.intake = intake;
    this.queueUrl = settings.queueUrl().toString();
    this.extenderThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-sqs-visibility");
              t.setDaemon(true);
              return t;
            });
    this.extender =
        new VisibilityExtender(sqs, queueUrl, settings.visibilityTimeout(), extenderThread);
    this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    this.poller = new Thread(this::pollUntilClosed, "sluice-sqs-poller");
    this.poller.setDaemon(true);
  }

  /**
   * Starts polling. The source builds the client from {@code client} (endpoint, region,
   * credentials, interceptors as the caller set them) with its own HTTP client, whose requests it
   * can abort to stop a long poll at once; it closes the client when it is closed.
   *
   * @param intake parses and commits bodies; called on the poller thread
   */
  public static SqsSource start(
      SqsClientBuilder client, SqsSourceSettings settings, MessageIntake intake) {
    SqsSource source = new SqsSource(client, settings, intake);
    source.running = true;
    source.poller.start();
    return source;
  }

  public SqsSourceStats stats() {
    return new SqsSourceStats(
        received.get(), deleted.get(), leftForRedrive.get(), extender.extensions(), failures.get());
  }

  private void pollUntilClosed() {
    LOG.info("polling {}", queueUrl);
    while (running) {
      try {
        pollOnce();
        backoff.reset();
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        failures.incrementAndGet();
        Duration wait = backoff.afterFailure();
        LOG.warn("SQS source: {}; retrying in {} ms", describe(e), wait.toMillis());
        pauseFor(wait);
      }
    }
    LOG.info("stopped polling {}", queueUrl);
  }

  private void pollOnce() {
    List<Message> batch = receive();
    if (batch.isEmpty()) {
      if (settings.waitTime().isZero()) {
        // Short polling answers at once: without a pause an empty queue would be asked in a loop.
        pauseFor(settings.initialBackoff());
      }
      return;
    }
    received.addAndGet(batch.size());
    List<MessageVerdict> verdicts;
    try (VisibilityExtender.Extension ignored = extender.keepInvisible(batch)) {
      verdicts = intake.accept(batch.stream().map(Message::body).toList());
    }
    if (verdicts.size() != batch.size()) {
      throw new IllegalStateException(
          "intake answered " + verdicts.size() + " verdicts for " + batch.size() + " messages");
    }
    List<Message> committed = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (verdicts.get(i) == MessageVerdict.COMMITTED) {
        committed.add(batch.get(i));
      } else {
        leftForRedrive.incrementAndGet();
        LOG.warn(
            "message {} can never be read; left on the queue for its redrive policy (receive"
                + " count {})",
            batch.get(i).messageId(),
            batch.get(i).attributesAsStrings().getOrDefault("ApproximateReceiveCount", "?"));
      }
    }
    delete(committed);
  }

  private List<Message> receive() {
    receiving = true;
    try {
      return sqs.receiveMessage(
              b ->
                  b.queueUrl(queueUrl)
                      .maxNumberOfMessages(settings.maxMessages())
                      .waitTimeSeconds((int) settings.waitTime().toSeconds())
                      .visibilityTimeout((int) settings.visibilityTimeout().toSeconds())
                      .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount"))
          .messages();
    } finally {
      receiving = false;
      // An interrupt meant for the receive (close) must not abort the commit or delete that follow.
      Thread.interrupted();
    }
  }

  /**
   * One DeleteMessageBatch for the committed messages. An entry that fails is not retried here: its
   * message comes back after the visibility timeout and its events are already held, so the backlog
   * counts it a duplicate.
   */
  private void delete(List<Message> committed) {
    if (committed.isEmpty()) {
      return;
    }
    List<DeleteMessageBatchRequestEntry> entries =
        committed.stream()
            .map(
                m ->
                    DeleteMessageBatchRequestEntry.builder()
                        .id(m.messageId())
                        .receiptHandle(m.receiptHandle())
                        .build())
            .toList();
    var response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    deleted.addAndGet(response.successful().size());
    response.failed().forEach(f -> LOG.warn("cannot delete message {}: {}", f.id(), f.message()));
  }

  private void pauseFor(Duration wait) {
    synchronized (pause) {
      if (!running) {
        return;
      }
      try {
        pause.wait(Math.max(1, wait.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String describe(RuntimeException e) {
    return e instanceof SdkException ? "SQS call failed: " + e.getMessage() : e.toString();
  }

  /**
   * Stops polling and closes the client. A receive in progress is aborted; a commit in progress is
   * finished and its messages deleted. Waits at most the wait time plus the visibility timeout for
   * that; a message whose commit did not finish stays on the queue.
   */
  @Override
  public void close() {
    running = false;
    synchronized (pause) {
      pause.notifyAll();
    }
    if (receiving) {
      // The interrupt stops the SDK from retrying the aborted request.
      poller.interrupt();
      http.abortRunning();
    }
    try {
      poller.join(settings.waitTime().plus(settings.visibilityTimeout()).toMillis() + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (poller.isAlive()) {
      LOG.warn("SQS poller still busy after close; its uncommitted messages stay on the queue");
    }
    extenderThread.shutdownNow();
    sqs.close();
  }

  /** True while the poller thread runs (false once {@link #close()} has stopped it). */
  public boolean isPolling() {
    return poller.isAlive();
  }
}
