package dev.sluice.service.intake;

import dev.sluice.core.ObjectEvent;
import dev.sluice.core.backlog.AppendResult;
import dev.sluice.core.backlog.Backlog;
import dev.sluice.core.time.TimeSource;
import dev.sluice.intake.ParseResult;
import dev.sluice.intake.S3NotificationParser;
import java.util.List;

/**
 * The one path from a notification body to the backlog: parse, commit, then tell the dispatcher.
 * Returns only after the events are committed, so the caller may acknowledge the sender.
 */
public final class EventIntake {
  private final S3NotificationParser parser;
  private final Backlog backlog;
  private final TimeSource time;
  private final Runnable onAccepted;

  /**
   * @param onAccepted called after new events are committed (wakes the dispatcher)
   */
  public EventIntake(
      S3NotificationParser parser, Backlog backlog, TimeSource time, Runnable onAccepted) {
    this.parser = parser;
    this.backlog = backlog;
    this.time = time;
    this.onAccepted = onAccepted;
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
    List<ParseResult> parsed = bodies.stream().map(parser::parse).toList();
    appendEvents(parsed.stream().flatMap(p -> p.events().stream()).toList());
    return parsed;
  }

  /** Commits events that a source already holds as values (the embedded S3 endpoint). */
  public AppendResult appendEvents(List<ObjectEvent> events) {
    if (events.isEmpty()) {
      return new AppendResult(0, 0);
    }
    AppendResult result = backlog.append(events, time.now());
    if (result.accepted() > 0) {
      onAccepted.run();
    }
    return result;
  }
}
