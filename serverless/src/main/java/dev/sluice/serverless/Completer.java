package dev.sluice.serverless;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.SluiceException;
import dev.sluice.core.gate.stored.InFlightSlots;
import dev.sluice.core.gate.stored.StoredLimit;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The completion function's work on one "Step Functions Execution Status Change" event: frees the
 * execution's in-flight slot, and for a failed, timed-out or aborted execution sends the event's
 * next attempt back to the event queue (so the retry passes the gate like any release) or, when its
 * attempts are used up, to the dead-letter queue with the execution's error and cause.
 *
 * <p>Exactly once per execution where it matters: the slot is freed by name, and freeing a name
 * that holds no slot changes nothing, so an event EventBridge delivers twice frees one slot. A
 * retry sent twice is two messages of the same attempt, hence one execution name: Step Functions
 * starts it once. A dead letter sent twice is listed twice.
 */
final class Completer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What became of one status-change event. */
  enum Result {
    /** Not about this state machine, or not an end. */
    IGNORED,
    /** The execution succeeded; its slot is free. */
    SUCCEEDED,
    /** The execution failed; the next attempt waits in the event queue. */
    RETRIED,
    /** The execution failed and the attempts are used up: a dead letter. */
    DEAD_LETTERED,
    /** The execution failed, and its input is not an event Sluice sent: only its slot is freed. */
    FOREIGN
  }

  private final StoredLimit<InFlightSlots> slots;
  private final BatchSender eventQueue;
  private final BatchSender deadLetters;
  private final CompletionSettings settings;
  private final Clock clock;

  Completer(
      StoredLimit<InFlightSlots> slots,
      BatchSender eventQueue,
      BatchSender deadLetters,
      CompletionSettings settings,
      Clock clock) {
    this.slots = slots;
    this.eventQueue = eventQueue;
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * @throws SluiceException if the retry or the dead letter could not be sent, so that the
   *     invocation fails and EventBridge delivers the event again
   */
  Result complete(JsonNode event) {
    JsonNode detail = event.path("detail");
    String status = detail.path("status").asText("");
    if (!settings.stateMachineArn().equals(detail.path("stateMachineArn").asText())
        || status.isEmpty()
        || status.equals("RUNNING")
        || status.equals("PENDING_REDRIVE")) {
      return Result.IGNORED;
    }
    String name = detail.path("name").asText();
    slots.giveBack(clock.instant(), List.of(name));
    if (status.equals("SUCCEEDED")) {
      return Result.SUCCEEDED;
    }
    SluiceMessage attempt;
    try {
      attempt = SluiceMessage.fromExecutionInput(JSON.readTree(detail.path("input").asText()));
    } catch (IOException | IllegalArgumentException e) {
      return Result.FOREIGN;
    }
    String error = error(status, detail);
    if (attempt.attempt() < settings.maxAttempts()) {
      int delay = (int) settings.retryDelayAfter(attempt.attempt()).toSeconds();
      send(eventQueue, new BatchSender.Outgoing(attempt.nextAttempt().toJson(), delay), error);
      return Result.RETRIED;
    }
    String gaveUp = error + " (gave up after " + attempt.attempt() + " attempts)";
    send(
        deadLetters,
        new BatchSender.Outgoing(attempt.named().toJson(), 0, Map.of(Invoker.ERROR, clip(gaveUp))),
        gaveUp);
    return Result.DEAD_LETTERED;
  }

  private static void send(BatchSender queue, BatchSender.Outgoing message, String why) {
    List<BatchSender.Unsent> unsent = queue.send(List.of(message));
    if (!unsent.isEmpty()) {
      throw new SluiceException(
          "could not send after a failed execution (" + why + "): " + unsent.get(0).reason());
    }
  }

  /** {@code FAILED: error: cause}, as the dead letter keeps it. */
  static String error(String status, JsonNode detail) {
    StringBuilder b = new StringBuilder(status);
    String error = detail.path("error").asText(null);
    String cause = detail.path("cause").asText(null);
    if (error != null && !detail.path("error").isNull()) {
      b.append(": ").append(error);
    }
    if (cause != null && !detail.path("cause").isNull()) {
      b.append(": ").append(cause);
    }
    return b.toString();
  }

  private static String clip(String s) {
    return s.length() <= 1000 ? s : s.substring(0, 1000) + "...";
  }
}
