package dev.sluice.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.dispatch.PartitionSharing;
import dev.sluice.core.partition.PartitionDue;
import dev.sluice.core.partition.PartitionShares;
import dev.sluice.service.config.PartitionsDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fair share between partitions as {@code GET /v1/partitions} answers it: {@code {"by": "prefix
 * depth 1", "weights": {...}, "caps": {...}, "default-weight": 1, "partitions": [{"partition":
 * "a/", "weight": 1, "cap": null, "due": 1000, "inFlight": 3, "releasedLastMinute": 5940,
 * "lastGranted": 50, "share": 0.5}]}}: the busiest partitions first, at most {@link #MOST}; due
 * events counted now, up to {@link #DUE_COUNTED_UP_TO}.
 */
final class PartitionsJson {
  /** Partitions listed at most: a prefix rule over many tenants can make thousands busy. */
  static final int MOST = 100;

  private PartitionsJson() {}

  /**
   * Each partition's due events are counted up to this many (a count stops there): the dashboard
   * asks every few seconds, and a hot partition's 10,000 due need not be walked to say it is hot.
   */
  static final int DUE_COUNTED_UP_TO = 1_000;

  /**
   * @param sharing the dispatcher's fair share, or null when the backlog is not partitioned
   * @param backlog asked for the partitions with due events now
   */
  static ObjectNode of(PartitionSharing sharing, Backlog backlog, Instant now, ObjectMapper json) {
    PartitionShares shares = sharing == null ? PartitionShares.EQUAL : sharing.shares();
    ObjectNode out = json.createObjectNode();
    out.put("by", sharing == null ? "none" : sharing.rule().describe());
    out.setAll(PartitionsDocument.write(shares, json));
    ArrayNode list = out.putArray("partitions");
    if (sharing == null) {
      return out;
    }
    Map<String, Integer> due = new TreeMap<>();
    for (PartitionDue d : backlog.duePartitions(now, DUE_COUNTED_UP_TO)) {
      due.put(d.partition(), d.due());
    }
    List<PartitionSharing.View> views = sharing.view(now, MOST, due);
    for (PartitionSharing.View v : views) {
      ObjectNode o = list.addObject();
      o.put("partition", v.partition());
      o.put("weight", v.weight());
      if (v.cap() == null) {
        o.putNull("cap");
      } else {
        o.put("cap", v.cap());
      }
      o.put("due", v.due());
      o.put("inFlight", v.inFlight());
      o.put("releasedLastMinute", v.releasedLastMinute());
      o.put("lastGranted", v.lastGranted());
      o.put("share", Math.round(v.share() * 10_000) / 10_000.0);
    }
    out.put("dueCountedUpTo", DUE_COUNTED_UP_TO);
    out.put("lastStepAt", sharing.lastStepAt().toString());
    return out;
  }
}
