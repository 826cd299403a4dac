package dev.sluice.intake;

import java.util.Objects;

/**
 * A record that claims to be an object event but cannot be read: a required field is missing, has
 * the wrong type or cannot be decoded. The other records of the same body are unaffected.
 *
 * @param index position in {@code Records}
 * @param reason the problem, naming the field, e.g. {@code Records[2].s3.object.key is missing}
 */
public record Rejected(int index, String reason) {
  public Rejected {
    Objects.requireNonNull(reason, "reason");
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
  }
}
