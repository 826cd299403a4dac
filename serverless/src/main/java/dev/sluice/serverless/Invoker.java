package dev.sluice.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Outcome;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The invoke function's work on one batch of invocation-queue messages: one {@code StartExecution}
 * per message, and an answer per message that SQS acts on.
 *
 * <ul>
 *   <li>Started, or a duplicate of a running execution: done (the message is deleted; the slot is
 *       held until the completion function frees it).
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
   * @param failedMessageIds messages SQS must hand out again
   */
  record Report(
      int started,
      int duplicates,
      int throttled,
      int deadLettered,
      int retriedLater,
      List<String> failedMessageIds) {}

  private final ExecutionStarter starter;
  private final StoredLimit<InFlightSlots> slots;
  private final BatchSender invocationQueue;
  private final BatchSender deadLetters;
  private final InvokeSettings settings;
  private final Clock clock;

  Invoker(
      ExecutionStarter starter,
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
    int duplicates = 0;
    int retriedLater = 0;
    List<String> failed = new ArrayList<>();
    List<String> freed = new ArrayList<>();
    List<QueueRecord> backOff = new ArrayList<>();
    List<BatchSender.Outgoing> backOffMessages = new ArrayList<>();
    List<QueueRecord> dead = new ArrayList<>();
    List<String> deadNames = new ArrayList<>();
    List<BatchSender.Outgoing> deadMessages = new ArrayList<>();

    for (QueueRecord r : records) {
      SluiceMessage message;
      try {
        message = SluiceMessage.fromJson(JSON.readTree(r.body()));
      } catch (IOException | IllegalArgumentException e) {
        dead.add(r);
        deadNames.add(null);
        deadMessages.add(deadLetter(r.body(), "unreadable message: " + e.getMessage()));
        continue;
      }
      String name = message.named().executionName();
      ExecutionStarter.Start start = starter.start(message);
      if (start instanceof ExecutionStarter.Began) {
        started++;
      } else if (start instanceof ExecutionStarter.Duplicate d) {
        duplicates++;
        if (!d.running()) {
          freed.add(name);
        }
      } else {
        Outcome o = ((ExecutionStarter.Refused) start).outcome();
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
        duplicates,
        backOff.size(),
        dead.size() - unsentDead.size(),
        retriedLater,
        List.copyOf(failed));
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
