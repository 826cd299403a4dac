package dev.sluice.ingest;

import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SQS source's way into the backlog: one {@link EventIntake#acceptBatch} per received batch,
 * then a verdict per message. A body that cannot be read at all, or whose every record is rejected,
 * can never be read: it is left on the queue for its redrive policy. Anything else (events
 * committed, a test event or removal dropped, some records rejected beside good ones) is done with,
 * and its message may be deleted.
 */
public final class SqsIntake implements MessageIntake {
  private static final System.Logger LOG = System.getLogger(SqsIntake.class.getName());

  private final EventIntake intake;
  private final NotificationParser parser;

  /**
   * @param parser reads the messages with the SQS source's own key decoding and filters
   */
  public SqsIntake(EventIntake intake, NotificationParser parser) {
    this.intake = intake;
    this.parser = parser;
  }

  @Override
  public List<MessageVerdict> accept(List<String> bodies) {
    List<ParseResult> parsed =
        intake.acceptBatch(
            bodies.stream().map(b -> b.getBytes(StandardCharsets.UTF_8)).toList(), parser);
    return parsed.stream().map(SqsIntake::verdict).toList();
  }

  /**
   * Whether a message whose body parsed as {@code parsed} is done with (deleted) or can never be
   * read (left for the queue's redrive policy). Shared by every consumer of a queue of
   * notifications, so they all judge a body alike.
   */
  public static MessageVerdict verdict(ParseResult parsed) {
    if (parsed.isMalformed()) {
      LOG.log(
          System.Logger.Level.WARNING, "SQS message body cannot be read: {0}", parsed.bodyError());
      return MessageVerdict.NEVER_READABLE;
    }
    if (!parsed.rejected().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "SQS message records rejected: {0}", parsed.rejected());
    }
    boolean nothingUsable =
        parsed.events().isEmpty() && parsed.dropped().isEmpty() && !parsed.rejected().isEmpty();
    return nothingUsable ? MessageVerdict.NEVER_READABLE : MessageVerdict.COMMITTED;
  }
}
