package dev.sluice.intake;

/**
 * A source's filters (event names, key prefix and suffix) applied to one record; answers the {@link
 * Dropped} it becomes, or null when the record is kept.
 */
final class RecordFilter {
  private final SourceOptions options;

  RecordFilter(SourceOptions options) {
    this.options = options;
  }

  /** Checked before the record is read in full: a removal with an odd key is still a removal. */
  Dropped byEventName(int index, String eventName) {
    if (options.keepsEventName(eventName)) {
      return null;
    }
    return new Dropped(
        index,
        DropCategory.EVENT_NAME,
        "event "
            + NotificationRecord.shorten(eventName)
            + " is outside the filter "
            + String.join(", ", options.eventNames()));
  }

  /** Checked on the decoded key. */
  Dropped byKey(int index, String key) {
    if (!key.startsWith(options.prefix())) {
      return new Dropped(
          index,
          DropCategory.PREFIX,
          "key '"
              + NotificationRecord.shorten(key)
              + "' is outside the prefix '"
              + options.prefix()
              + "'");
    }
    if (!key.endsWith(options.suffix())) {
      return new Dropped(
          index,
          DropCategory.SUFFIX,
          "key '"
              + NotificationRecord.shorten(key)
              + "' is outside the suffix '"
              + options.suffix()
              + "'");
    }
    return null;
  }
}
