package dev.sluice.serverless;

import dev.sluice.core.ObjectEvent;
import dev.sluice.ingest.MalformedBodyException;
import dev.sluice.intake.Dropped;
import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.ParseResult;
import dev.sluice.intake.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The intake function's work: an S3 notification to events (keys decoded, test events and keys
 * outside the filters dropped) to {@link SluiceMessage}s on the event queue, ten to a call. Returns
 * only when every event is on the queue; otherwise it throws, naming what was not sent, so the
 * notification is delivered again. Nothing is dropped silently: dropped and rejected records come
 * back in the result, with reasons.
 */
public final class EventQueueIntake {
  private final NotificationParser parser;
  private final BatchSender eventQueue;

  public EventQueueIntake(SqsClient sqs, IntakeSettings settings) {
    Objects.requireNonNull(settings, "settings");
    this.parser = new NotificationParser(settings.sourceOptions());
    this.eventQueue = new BatchSender(sqs, settings.eventQueueUrl());
  }

  /**
   * What one notification became.
   *
   * @param sent events now on the event queue
   * @param dropped records deliberately not kept, with reasons
   * @param rejected records that could not be read, with reasons
   */
  public record Result(int sent, List<Dropped> dropped, List<Rejected> rejected) {}

  /**
   * Puts the notification's events on the event queue.
   *
   * @throws MalformedBodyException if the notification cannot be read at all
   * @throws UnsentEventsException if some events could not be sent; the rest were
   */
  public Result accept(byte[] notification) {
    ParseResult parsed = parser.parse(notification);
    if (parsed.isMalformed()) {
      throw new MalformedBodyException(parsed.bodyError());
    }
    List<ObjectEvent> events = parsed.events();
    List<BatchSender.Outgoing> messages = new ArrayList<>(events.size());
    for (ObjectEvent e : events) {
      messages.add(new BatchSender.Outgoing(SluiceMessage.firstAttempt(e).toJson(), 0));
    }
    List<BatchSender.Unsent> unsent = eventQueue.send(messages);
    if (!unsent.isEmpty()) {
      throw new UnsentEventsException(
          unsent.stream().map(u -> events.get(u.index()).identity() + ": " + u.reason()).toList(),
          events.size());
    }
    return new Result(events.size(), parsed.dropped(), parsed.rejected());
  }
}
