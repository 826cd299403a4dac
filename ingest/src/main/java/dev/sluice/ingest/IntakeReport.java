package dev.sluice.ingest;

import java.util.List;

/**
 * What happened to each record of one notification body.
 *
 * @param accepted new events, now durable
 * @param duplicates records whose identity the backlog already had
 * @param dropped records deliberately not kept (test events, filtered event names), with reasons
 * @param rejected records that could not be read, with reasons
 */
public record IntakeReport(
    int accepted, int duplicates, List<Problem> dropped, List<Problem> rejected) {

  /**
   * One record's fate.
   *
   * @param index position of the record in the body's {@code Records} array (-1 for the whole body)
   * @param reason why
   */
  public record Problem(int index, String reason) {}

  /** True when the body held nothing usable: every record was rejected. */
  public boolean nothingUsable() {
    return accepted == 0 && duplicates == 0 && dropped.isEmpty() && !rejected.isEmpty();
  }
}
