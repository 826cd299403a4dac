package dev.sluice.intake;

/**
 * Why a record was dropped, as a stable word a service can count by ({@code dropped: {"test-event":
 * 3, "event-name": 12}}). The human reason beside it in {@link Dropped} may change wording; these
 * labels do not.
 */
public enum DropCategory {
  /** An {@code s3:TestEvent}: S3 sends one when a notification configuration is put. */
  TEST_EVENT("test-event"),
  /** The event name is outside the source's {@code event-names} filter. */
  EVENT_NAME("event-name"),
  /** The decoded key does not start with the source's prefix. */
  PREFIX("prefix"),
  /** The decoded key does not end with the source's suffix. */
  SUFFIX("suffix");

  private final String label;

  DropCategory(String label) {
    this.label = label;
  }

  /** The stable label, e.g. {@code test-event}. */
  public String label() {
    return label;
  }
}
