package dev.sluice.ingest;

import dev.sluice.core.backlog.AppendResult;
import dev.sluice.intake.Dropped;
import java.util.List;

/**
 * What {@link EventIntake} reports once a commit is done, so metrics are fed by events. Called on
 * the thread of the source that delivered the body (HTTP, SQS poller, embedded S3 endpoint): an
 * observer must be thread-safe and quick. An observer that throws is logged and ignored.
 */
public interface IntakeObserver {
  /** An observer that ignores everything. */
  IntakeObserver NONE = new IntakeObserver() {};

  /**
   * Events of one source were committed.
   *
   * @param source the events' source ({@code webhook}, {@code sqs}, {@code s3-endpoint}, ...)
   * @param result how many were new and how many the backlog already held
   */
  default void appended(String source, AppendResult result) {}

  /** Records were deliberately not kept (test events, filtered names, prefix or suffix). */
  default void dropped(List<Dropped> dropped) {}

  /** Records that could not be read were turned away. */
  default void rejected(int records) {}
}
