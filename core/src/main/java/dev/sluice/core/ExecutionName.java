package dev.sluice.core;

import java.util.Objects;

/**
 * The name of the Step Functions execution that runs one attempt of one event: deterministic, so a
 * repeat of the same attempt is never a second execution (a Standard state machine refuses a name
 * it has seen in the last 90 days), and distinct per attempt, so a retry after a failed execution
 * can start at all.
 *
 * <p>Shape: {@code <key hint>-<40 hex of the identity's SHA-256>-<attempt>}, within the name rules
 * of 1 to 80 characters of {@code [A-Za-z0-9_-]}. The key hint (the last segment of the key, other
 * characters replaced by {@code _}, at most 30) is only for people reading the console; the hash
 * alone tells events apart.
 */
public final class ExecutionName {

  /** Longest name Step Functions takes. */
  public static final int MAX_LENGTH = 80;

  static final int HINT_LENGTH = 30;
  static final int HASH_LENGTH = 40;

  /** Highest attempt a name can carry (four digits keep every name within 80 characters). */
  public static final int MAX_ATTEMPT = 9999;

  private ExecutionName() {}

  /** The execution name of {@code attempt} (1 for the first) of the event with this identity. */
  public static String of(EventIdentity identity, int attempt) {
    Objects.requireNonNull(identity, "identity");
    if (attempt < 1 || attempt > MAX_ATTEMPT) {
      throw new IllegalArgumentException(
          "attempt must be in 1.." + MAX_ATTEMPT + ", got " + attempt);
    }
    String hash = identity.idempotencyKey().substring(0, HASH_LENGTH);
    String hint = hint(identity.key());
    return (hint.isEmpty() ? "" : hint + "-") + hash + "-" + attempt;
  }

  /**
   * The execution name of {@code attempt} of a batch: {@code <partition hint>-<40 hex of the
   * batch's idempotency key>-<attempt>}, the hint being the partition's characters that names allow
   * ({@code batch} when the partition is empty). The same members give the same name.
   */
  public static String ofBatch(dev.sluice.core.batch.Batch batch, int attempt) {
    Objects.requireNonNull(batch, "batch");
    if (attempt < 1 || attempt > MAX_ATTEMPT) {
      throw new IllegalArgumentException(
          "attempt must be in 1.." + MAX_ATTEMPT + ", got " + attempt);
    }
    String hint = hint(batch.partition().replace('/', '_'));
    while (hint.endsWith("_")) {
      hint = hint.substring(0, hint.length() - 1);
    }
    return (hint.isEmpty() ? "batch" : hint)
        + "-"
        + batch.idempotencyKey().substring(0, HASH_LENGTH)
        + "-"
        + attempt;
  }

  /** Whether a name keeps Step Functions' rules as this class writes them. */
  public static boolean isValid(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= MAX_LENGTH
        && name.chars().allMatch(ExecutionName::allowed);
  }

  private static String hint(String key) {
    String last = key.substring(key.lastIndexOf('/') + 1);
    StringBuilder b = new StringBuilder(Math.min(last.length(), HINT_LENGTH));
    for (int i = 0; i < last.length() && b.length() < HINT_LENGTH; i++) {
      char c = last.charAt(i);
      b.append(allowed(c) ? c : '_');
    }
    return b.toString();
  }

  private static boolean allowed(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
