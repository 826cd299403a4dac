package dev.sluice.service.fuzz;

import java.util.List;
import java.util.Random;

/**
 * One notification shape a sender really posts, as a generator of valid bodies: every key given
 * must come out of the service as exactly one event with that (decoded) key. The fuzz test draws
 * from a list of these, so a new shape (SQS body, SNS envelope, EventBridge, MinIO, Ceph) is one
 * more implementation in {@link ValidShapes#ALL}.
 */
public interface ValidShape {
  /** Names the shape in figures and failure messages. */
  String name();

  /**
   * A body holding one record per key.
   *
   * @param keys object keys as stored (decoded), distinct
   * @param random for incidental choices (field order, optional fields); seeded by the caller
   */
  String body(List<String> keys, Random random);
}
