package dev.sluice.sfnlocal;

import java.time.Instant;
import java.util.Objects;

/**
 * One "Step Functions Execution Status Change" event, as Step Functions sends it to EventBridge for
 * a Standard state machine: once when an execution starts (RUNNING) and once when it closes.
 *
 * @param id the event id (a random UUID, as EventBridge's)
 * @param time the moment of the change, which the event carries to the second
 * @param detail the execution as it was right after the change
 * @param json the whole event as EventBridge delivers it to a rule's target: {@code version},
 *     {@code id}, {@code detail-type}, {@code source} ({@code aws.states}), {@code account}, {@code
 *     time}, {@code region}, {@code resources} and {@code detail} with {@code startDate} and {@code
 *     stopDate} in epoch milliseconds
 */
public record StatusChangeEvent(String id, Instant time, RecordedExecution detail, String json) {

  /** The {@code detail-type} of these events. */
  public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

  /** The {@code source} of these events. */
  public static final String SOURCE = "aws.states";

  public StatusChangeEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(json, "json");
  }

  /** The status the execution changed to. */
  public ExecutionStatus status() {
    return detail.status();
  }
}
