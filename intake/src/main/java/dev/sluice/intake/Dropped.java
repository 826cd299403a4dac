package dev.sluice.intake;

import java.util.Objects;

/**
 * A record that was well formed but is not for us (a removal, an {@code s3:TestEvent}, a key
 * outside the prefix). Dropping is normal: the source is acknowledged and nothing goes to a dead
 * letter.
 *
 * @param index position in {@code Records}, or {@link #WHOLE_BODY} when the body as a whole was
 *     dropped (a test event has no records)
 * @param category the stable kind of reason, for counting
 * @param reason why, for people, e.g. {@code event ObjectRemoved:Delete is outside the filter
 *     ObjectCreated:*}
 */
public record Dropped(int index, DropCategory category, String reason) {

  /** The index used when the whole body, not one record, was dropped. */
  public static final int WHOLE_BODY = -1;

  public Dropped {
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(reason, "reason");
    if (index < WHOLE_BODY) {
      throw new IllegalArgumentException("index must be >= -1, got " + index);
    }
  }
}
