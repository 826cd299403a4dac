package dev.sluice.ingest;

import dev.sluice.intake.DropCategory;
import dev.sluice.intake.Dropped;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Records dropped since the service started, by {@link DropCategory}; in memory only. */
public final class DroppedCounts {
  private final Map<DropCategory, LongAdder> counts = new EnumMap<>(DropCategory.class);

  public DroppedCounts() {
    for (DropCategory category : DropCategory.values()) {
      counts.put(category, new LongAdder());
    }
  }

  void add(List<Dropped> dropped) {
    for (Dropped d : dropped) {
      counts.get(d.category()).increment();
    }
  }

  /** Every category by its label ({@code test-event}, ...), zeros included, in a fixed order. */
  public Map<String, Long> byLabel() {
    Map<String, Long> out = new LinkedHashMap<>();
    counts.forEach((category, n) -> out.put(category.label(), n.sum()));
    return out;
  }
}
