package dev.sluice.ingest;

/** What the intake made of one message body, and so whether the message may be deleted. */
public enum MessageVerdict {
  /**
   * The body's events are committed, or it was deliberately dropped (an {@code s3:TestEvent}, a
   * removal): the message is deleted.
   */
  COMMITTED,
  /**
   * The body can never be read (not a notification, or every record rejected). The message is not
   * deleted: it returns after its visibility timeout until the queue's redrive policy moves it to
   * the dead-letter queue, so nothing leaves the queue unseen.
   */
  NEVER_READABLE
}
