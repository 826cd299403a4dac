package dev.sluice.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Outcome;
import dev.sluice.core.SluiceException;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The invoke function's work on one batch of invocation-queue messages: the job of each message is
 * started at the target (a {@link JobStarter}: an execution, or a Lambda invocation), and each
 * message gets an answer that SQS acts on.
 *
 * <ul>
 *   <li>Began, or a duplicate of a running execution: done (the message is deleted; the slot is
 *       held until the completion function frees it).
 *   <li>Done (an invocation answered): done, and its in-flight slot is freed here, since no
 *       completion will ever come for it.
 *   <li>A duplicate of a closed execution: done, and its in-flight slot is freed here, since that
 *       execution's end already came (freeing a name twice changes nothing).
 *   <li>Throttled: sent back to the invocation queue as a new message with a growing delay and the
 *       count of throttles in an attribute, and the original is deleted — a new message starts its
 *       receive count at zero, so throttling never moves an event to the dead-letter queue. It
 *       keeps its execution name and its slot.
 *   <li>A retryable failure: reported in {@code batchItemFailures}, so only that message comes back
 *       after its visibility timeout; at the last receive it is dead-lettered here with its error.
 *   <li>A permanent failure or an unreadable body: sent to the dead-letter queue with the error in
 *       a message attribute, its slot freed.
 * </ul>
 *
 * If sending back or dead-lettering fails, the message is reported failed, so SQS keeps it.
 */
final class Invoker {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The attribute that counts how often a message was throttled. */
  static final String THROTTLES = "sluice-throttles";

  /** The attribute that carries a dead letter's error. */
  static final String ERROR = "sluice-error";

  /**
   * One message of the batch.
   *
   * @param messageId SQS's id, what {@code batchItemFailures} names
   * @param body the body
   * @param receiveCount how often SQS has handed it out, this time included
   * @param throttles how often its start was throttled before
   */
  record QueueRecord(String messageId, String body, int receiveCount, int throttles) {}

  /**
   * What one batch came to.
   *
   * @param started jobs that began and hold their slot (executions)
   * @param completed jobs the target did and answered (invocations)
   * @param failedMessageIds messages SQS must hand out again
   */
  record Report(
      int started,
      int completed,
      int duplicates,
      int throttled,
      int deadLettered,
      int retriedLater,
      List<String> failedMessageIds) {}

  private final JobStarter starter;
  private final StoredLimit<InFlightSlots> slots;
  private final BatchSender invocationQueue;
  private final BatchSender deadLetters;
  private final InvokeSettings settings;
  private final Clock clock;

  Invoker(
      JobStarter starter,
      StoredLimit<InFlightSlots> slots,
      BatchSender invocationQueue,
      BatchSender deadLetters,
      InvokeSettings settings,
      Clock clock) {
    this.starter = starter;
    this.slots = slots;
    this.invocationQueue = invocationQueue;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.clock = clock;
  }

  Report invoke(List<QueueRecord> records) {
    int started = 0;
    int completed = 0;
    int duplicates = 0;
    int retriedLater = 0;
    List<String> failed = new ArrayList<>();
    List<String> freed = new ArrayList<>();
    List<QueueRecord> backOff = new ArrayList<>();
    List<BatchSender.Outgoing> backOffMessages = new ArrayList<>();
    List<QueueRecord> dead = new ArrayList<>();
    List<String> deadNames = new ArrayList<>();
    List<BatchSender.Outgoing> deadMessages = new ArrayList<>();

    List<SluiceMessage> messages = new ArrayList<>(records.size());
    for (QueueRecord r : records) {
      try {
        messages.add(SluiceMessage.fromJson(JSON.readTree(r.body())));
      } catch (IOException | IllegalArgumentException e) {
        messages.add(null);
        dead.add(r);
        deadNames.add(null);
        deadMessages.add(deadLetter(r.body(), "unreadable message: " + e.getMessage()));
      }
    }
    List<JobStarter.Start> starts = startAll(messages);

    for (int i = 0; i < records.size(); i++) {
      QueueRecord r = records.get(i);
      SluiceMessage message = messages.get(i);
      if (message == null) {
        continue;
      }
      String name = message.named().executionName();
      JobStarter.Start start = starts.get(i);
      if (start instanceof JobStarter.Began) {
        started++;
      } else if (start instanceof JobStarter.Done) {
        completed++;
        freed.add(name);
      } else if (start instanceof JobStarter.Duplicate d) {
        duplicates++;
        if (!d.running()) {
          freed.add(name);
        }
      } else {
        Outcome o = ((JobStarter.Refused) start).outcome();
        if (o instanceof Outcome.Throttled) {
          backOff.add(r);
          int throttles = r.throttles() + 1;
          backOffMessages.add(
              new BatchSender.Outgoing(
                  r.body(),
                  throttleDelaySeconds(throttles),
                  Map.of(THROTTLES, Integer.toString(throttles))));
        } else if (o instanceof Outcome.Failed f
            && f.retryable()
            && r.receiveCount() < settings.maxReceives()) {
          retriedLater++;
          failed.add(r.messageId());
        } else {
          String error = o instanceof Outcome.Failed f ? f.error() : o.label();
          dead.add(r);
          deadNames.add(name);
          deadMessages.add(deadLetter(message.named().toJson(), error));
        }
      }
    }

    for (BatchSender.Unsent u : invocationQueue.send(backOffMessages)) {
      failed.add(backOff.get(u.index()).messageId());
    }
    List<BatchSender.Unsent> unsentDead = deadLetters.send(deadMessages);
    boolean[] keptBack = new boolean[dead.size()];
    for (BatchSender.Unsent u : unsentDead) {
      keptBack[u.index()] = true;
      failed.add(dead.get(u.index()).messageId());
    }
    for (int i = 0; i < dead.size(); i++) {
      if (!keptBack[i] && deadNames.get(i) != null) {
        freed.add(deadNames.get(i));
      }
    }
    if (!freed.isEmpty()) {
      slots.giveBack(clock.instant(), freed);
    }
    return new Report(
        started,
        completed,
        duplicates,
        backOff.size(),
        dead.size() - unsentDead.size(),
        retriedLater,
        List.copyOf(failed));
  }

  /**
   * The start of each message, in order (null for an unreadable one): one after the other, or up to
   * the starter's parallelism at once.
   */
  private List<JobStarter.Start> startAll(List<SluiceMessage> messages) {
    List<JobStarter.Start> starts = new ArrayList<>(messages.size());
    int threads = Math.min(starter.parallelism(), messages.size());
    if (threads <= 1) {
      for (SluiceMessage m : messages) {
        starts.add(m == null ? null : starter.start(m));
      }
      return starts;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "sluice-start");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<JobStarter.Start>> pending = new ArrayList<>(messages.size());
      for (SluiceMessage m : messages) {
        pending.add(m == null ? null : pool.submit(() -> starter.start(m)));
      }
      for (Future<JobStarter.Start> p : pending) {
        starts.add(p == null ? null : p.get());
      }
      return starts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SluiceException("interrupted while starting a batch", e);
    } catch (ExecutionException e) {
      // A starter answers every refusal as a value: what is thrown is a bug, and fails the batch.
      if (e.getCause() instanceof RuntimeException bug) {
        throw bug;
      }
      throw new SluiceException("a start failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** 1 s, 2 s, 4 s ... up to the settings' most. */
  int throttleDelaySeconds(int throttles) {
    long seconds = 1L << Math.min(throttles - 1, 20);
    return (int) Math.min(seconds, settings.maxThrottleDelay().toSeconds());
  }

  private static BatchSender.Outgoing deadLetter(String body, String error) {
    return new BatchSender.Outgoing(body, 0, Map.of(ERROR, clip(error)));
  }

  private static String clip(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000) + "...";
  }
}
