package dev.sluice.intake;

import dev.sluice.core.ObjectEvent;
import java.util.List;
import java.util.Objects;

/**
 * What a parser made of one notification body.
 *
 * <p>A readable body yields events, dropped records and rejected records ({@code bodyError} is
 * null). A body that cannot be read at all (not JSON, empty, not the expected shape) yields no
 * records and a {@code bodyError} naming the problem; an HTTP source answers it with 400.
 *
 * @param events records turned into events, in body order
 * @param dropped records deliberately ignored (not ObjectCreated, test events)
 * @param rejected records that could not be read, each with the field at fault
 * @param bodyError why the body as a whole could not be read, or null when it could
 */
public record ParseResult(
    List<ObjectEvent> events, List<Dropped> dropped, List<Rejected> rejected, String bodyError) {

  public ParseResult {
    events = List.copyOf(Objects.requireNonNull(events, "events"));
    dropped = List.copyOf(Objects.requireNonNull(dropped, "dropped"));
    rejected = List.copyOf(Objects.requireNonNull(rejected, "rejected"));
    if (bodyError != null && !(events.isEmpty() && dropped.isEmpty() && rejected.isEmpty())) {
      throw new IllegalArgumentException("a body with bodyError must have no records");
    }
  }

  /** A readable body. */
  public static ParseResult of(
      List<ObjectEvent> events, List<Dropped> dropped, List<Rejected> rejected) {
    return new ParseResult(events, dropped, rejected, null);
  }

  /** A body that cannot be read at all. */
  public static ParseResult malformed(String bodyError) {
    Objects.requireNonNull(bodyError, "bodyError");
    return new ParseResult(List.of(), List.of(), List.of(), bodyError);
  }

  /** True when the body could not be read at all; see {@link #bodyError()}. */
  public boolean isMalformed() {
    return bodyError != null;
  }
}
