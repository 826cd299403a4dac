package dev.sluice.core.backlog;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.Sequencers;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open (waiting or leased) changes of each object key, by sequencer: a change may start only
 * when no earlier change of its key is open. For backlogs that keep their state in memory; not
 * thread-safe.
 */
final class KeyOrder {
  private final Map<String, TreeMap<String, Integer>> open = new HashMap<>();

  private static String key(ObjectEvent e) {
    return e.bucket() + '\u0000' + e.key();
  }

  void opened(ObjectEvent e) {
    String order = Sequencers.sortKey(e.sequencer());
    if (order != null) {
      open.computeIfAbsent(key(e), k -> new TreeMap<>()).merge(order, 1, Integer::sum);
    }
  }

  void closed(ObjectEvent e) {
    String order = Sequencers.sortKey(e.sequencer());
    if (order == null) {
      return;
    }
    TreeMap<String, Integer> orders = open.get(key(e));
    if (orders == null) {
      return;
    }
    orders.computeIfPresent(order, (k, n) -> n == 1 ? null : n - 1);
    if (orders.isEmpty()) {
      open.remove(key(e));
    }
  }

  boolean mayStart(ObjectEvent e) {
    String order = Sequencers.sortKey(e.sequencer());
    if (order == null) {
      return true;
    }
    TreeMap<String, Integer> orders = open.get(key(e));
    return orders == null || orders.firstKey().compareTo(order) >= 0;
  }
}
