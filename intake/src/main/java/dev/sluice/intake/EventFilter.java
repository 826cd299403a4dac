package dev.sluice.intake;

import dev.sluice.core.ObjectEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A source's filters (event names, key prefix and suffix) for events a source already holds as
 * values, such as the embedded S3 endpoint's: the same rules and reasons as for parsed records.
 */
public final class EventFilter {
  private final RecordFilter filter;

  public EventFilter(SourceOptions options) {
    this.filter = new RecordFilter(options);
  }

  /**
   * Splits events into those kept and those dropped.
   *
   * @param kept receives the events that pass
   * @return the dropped ones, each with its index in {@code events} and the reason
   */
  public List<Dropped> apply(List<ObjectEvent> events, List<ObjectEvent> kept) {
    List<Dropped> dropped = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      ObjectEvent e = events.get(i);
      Dropped d = filter.byEventName(i, e.eventName());
      if (d == null) {
        d = filter.byKey(i, e.key());
      }
      if (d == null) {
        kept.add(e);
      } else {
        dropped.add(d);
      }
    }
    return dropped;
  }
}
