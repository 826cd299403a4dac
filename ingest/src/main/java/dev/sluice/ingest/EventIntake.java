package dev.sluice.ingest;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.time.TimeSource;
import dev.sluice.intake.Dropped;
import dev.sluice.intake.EventFilter;
import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.ParseResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one path from a notification body to the backlog: parse (any shape {@link NotificationParser}
 * takes, with the source's key encoding and filters), commit, then tell the dispatcher. Returns
 * only after the events are committed, so the caller may acknowledge the sender. Counts dropped
 * records by category since start.
 */
public final class EventIntake {
  private final NotificationParser parser;
  private final DroppedCounts droppedCounts = new DroppedCounts();
  private final Backlog backlog;
  private final TimeSource time;
  private final Runnable onAccepted;
  private final IntakeObserver observer;

  /**
   * @param onAccepted called after new events are committed (wakes the dispatcher)
   */
  public EventIntake(
      NotificationParser parser, Backlog backlog, TimeSource time, Runnable onAccepted) {
    this(parser, backlog, time, onAccepted, IntakeObserver.NONE);
  }

  /**
   * @param onAccepted called after new events are committed (wakes the dispatcher)
   * @param observer told what each commit kept, dropped and turned away
   */
  public EventIntake(
      NotificationParser parser,
      Backlog backlog,
      TimeSource time,
      Runnable onAccepted,
      IntakeObserver observer) {
    this.parser = parser;
    this.backlog = backlog;
    this.time = time;
    this.onAccepted = onAccepted;
    this.observer = observer;
  }

  private void tellDropped(List<Dropped> dropped) {
    droppedCounts.add(dropped);
    if (!dropped.isEmpty()) {
      tell(() -> observer.dropped(dropped));
    }
  }

  private void tellRejected(int records) {
    if (records > 0) {
      tell(() -> observer.rejected(records));
    }
  }

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      System.getLogger(EventIntake.class.getName())
          .log(System.Logger.Level.WARNING, "intake observer failed; ignored", e);
    }
  }

  /** Records dropped since start, by category label; see {@link DroppedCounts#byLabel()}. */
  public DroppedCounts droppedCounts() {
    return droppedCounts;
  }

  /**
   * Parses and commits one body.
   *
   * @throws MalformedBodyException when the body cannot be read at all; nothing was kept
   */
  public IntakeReport acceptBody(byte[] body) {
    ParseResult parsed = parser.parse(body);
    if (parsed.isMalformed()) {
      throw new MalformedBodyException(parsed.bodyError());
    }
    AppendResult appended = appendEvents(parsed.events());
    // Counted once the body is acknowledged: a failed commit (503) is sent again by the sender.
    tellDropped(parsed.dropped());
    tellRejected(parsed.rejected().size());
    return new IntakeReport(
        appended.accepted(),
        appended.duplicates(),
        parsed.dropped().stream()
            .map(d -> new IntakeReport.Problem(d.index(), d.reason()))
            .toList(),
        parsed.rejected().stream()
            .map(r -> new IntakeReport.Problem(r.index(), r.reason()))
            .toList());
  }

  /**
   * Parses several bodies and commits the events of all of them in one append, so a received SQS
   * batch costs one commit. Returns each body's parse, in order, once its events are committed.
   */
  public List<ParseResult> acceptBatch(List<byte[]> bodies) {
    return acceptBatch(bodies, parser);
  }

  /** As {@link #acceptBatch(List)}, read with a source's own decoding and filters. */
  public List<ParseResult> acceptBatch(List<byte[]> bodies, NotificationParser sourceParser) {
    List<ParseResult> parsed = bodies.stream().map(sourceParser::parse).toList();
    appendEvents(parsed.stream().flatMap(p -> p.events().stream()).toList());
    parsed.forEach(
        p -> {
          tellDropped(p.dropped());
          tellRejected(p.rejected().size());
        });
    return parsed;
  }

  /**
   * Commits the events a source already holds as values (the embedded S3 endpoint) that pass its
   * filter; the rest are counted as dropped, by reason, once the kept ones are committed.
   */
  public AppendResult appendEvents(List<ObjectEvent> events, EventFilter filter) {
    List<ObjectEvent> kept = new ArrayList<>(events.size());
    List<Dropped> dropped = filter.apply(events, kept);
    AppendResult result = appendEvents(kept);
    tellDropped(dropped);
    return result;
  }

  private static String sourceOf(ObjectEvent e) {
    return e.source() == null || e.source().isBlank() ? "unknown" : e.source();
  }

  /** Commits events that a source already holds as values, unfiltered. */
  public AppendResult appendEvents(List<ObjectEvent> events) {
    if (events.isEmpty()) {
      return new AppendResult(0, 0);
    }
    Map<String, List<ObjectEvent>> bySource = new LinkedHashMap<>();
    for (ObjectEvent e : events) {
      bySource.computeIfAbsent(sourceOf(e), s -> new ArrayList<>()).add(e);
    }
    AppendResult result;
    if (bySource.size() == 1) {
      result = backlog.append(events, time.now());
      String source = bySource.keySet().iterator().next();
      AppendResult committed = result;
      tell(() -> observer.appended(source, committed));
    } else {
      // The backlog answers counts only, so events of several sources (never one body's, in
      // practice) are committed a source at a time to count each source's.
      int accepted = 0;
      int duplicates = 0;
      for (Map.Entry<String, List<ObjectEvent>> e : bySource.entrySet()) {
        AppendResult part = backlog.append(e.getValue(), time.now());
        accepted += part.accepted();
        duplicates += part.duplicates();
        tell(() -> observer.appended(e.getKey(), part));
      }
      result = new AppendResult(accepted, duplicates);
    }
    if (result.accepted() > 0) {
      onAccepted.run();
    }
    return result;
  }
}
