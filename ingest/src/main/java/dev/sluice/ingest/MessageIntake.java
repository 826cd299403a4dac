package dev.sluice.ingest;

import java.util.List;

/**
 * Port from the SQS source to the backlog: parses message bodies and commits their events. It
 * returns only after the events are committed, because the source deletes what it answers {@link
 * MessageVerdict#COMMITTED}. An exception means nothing may be deleted (the backlog is down): the
 * source backs off and the messages come back after their visibility timeout.
 */
@FunctionalInterface
public interface MessageIntake {

  /**
   * Parses and commits the bodies of one received batch.
   *
   * @return one verdict per body, in the order of {@code bodies}
   */
  List<MessageVerdict> accept(List<String> bodies);
}
