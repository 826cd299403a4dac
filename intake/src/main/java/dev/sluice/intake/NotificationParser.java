package dev.sluice.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.ObjectEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns any notification body a source sends into events, choosing the shape by content:
 *
 * <ul>
 *   <li>S3 notification {@code {"Records": [...]}} (eventVersion 2.x) as AWS S3, MinIO ({@code
 *       EventName}/{@code Key}/{@code Records}; the records are trusted over {@code Key}) and Ceph
 *       RGW send it, and as the raw body of an S3 → SQS message;
 *   <li>a Lambda SQS event ({@code Records[].body} holding any shape here as a string) and a Lambda
 *       SNS event ({@code Records[].Sns.Message});
 *   <li>an SNS envelope ({@code Type: Notification}, {@code Message} holding any shape here as a
 *       string), also as an SQS body;
 *   <li>an EventBridge event from S3 ({@code source: aws.s3}, see {@link EventBridgeEvent});
 *   <li>{@code s3:TestEvent}, which is {@link Dropped} ({@link DropCategory#TEST_EVENT}).
 * </ul>
 *
 * <p>Keys are decoded as {@link SourceOptions#keyEncoding()} says; records outside the source's
 * event-name, prefix or suffix filters are {@link Dropped} with a {@link DropCategory}. A record
 * that cannot be read is {@link Rejected} naming the field at fault, and the records beside it are
 * kept. Indexes are positions in the outermost {@code Records} array (0 for an EventBridge event,
 * {@link Dropped#WHOLE_BODY} for a top-level test event). A body that cannot be read at all, or is
 * no notification (an SQS batch response, a scheduled event, an SNS message that is not from S3)
 * comes back as {@link ParseResult#malformed}. {@link #parse} never throws for bad input.
 *
 * <p>Thread-safe: one instance can serve every request.
 */
public final class NotificationParser {

  /** SQS → SNS → S3 is two envelopes; more than this is not a real sender. */
  static final int MAX_ENVELOPES = 4;

  static final String TEST_EVENT = "s3:TestEvent";

  private static final String SHAPES =
      "expected a notification (an object with Records, an SNS envelope, an EventBridge event"
          + " or an s3:TestEvent)";

  private final SourceOptions options;
  private final RecordFilter filter;

  /** A parser with {@link SourceOptions#defaults()}. */
  public NotificationParser() {
    this(SourceOptions.defaults());
  }

  public NotificationParser(SourceOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.filter = new RecordFilter(options);
  }

  public SourceOptions options() {
    return options;
  }

  /** The events, dropped and rejected records in {@code body}, or why it cannot be read. */
  public ParseResult parse(byte[] body) {
    NotificationJson json = NotificationJson.read(body);
    return json.error() != null ? ParseResult.malformed(json.error()) : parseNode(json.root(), 0);
  }

  private ParseResult parseEmbedded(String text, int envelopes) {
    if (envelopes > MAX_ENVELOPES) {
      return ParseResult.malformed(
          "notification is wrapped in more than " + MAX_ENVELOPES + " envelopes");
    }
    NotificationJson json = NotificationJson.read(text);
    return json.error() != null
        ? ParseResult.malformed(json.error())
        : parseNode(json.root(), envelopes);
  }

  private ParseResult parseNode(JsonNode root, int envelopes) {
    if (!root.isObject()) {
      return ParseResult.malformed(SHAPES + ", got " + JsonFields.describe(root));
    }
    JsonNode records = root.get("Records");
    if (records != null && !records.isNull()) {
      if (!records.isArray()) {
        return ParseResult.malformed(SHAPES + ", got Records as " + JsonFields.describe(records));
      }
      return parseRecords(records, envelopes);
    }
    if (isTextual(root, "Type", "Notification") && root.has("Message")) {
      return snsEnvelope(root, envelopes);
    }
    if (EventBridgeEvent.isEventBridge(root)) {
      return eventBridge(root);
    }
    if (isTextual(root, "Event", TEST_EVENT)) {
      return ParseResult.of(
          List.of(),
          List.of(new Dropped(Dropped.WHOLE_BODY, DropCategory.TEST_EVENT, TEST_EVENT)),
          List.of());
    }
    return ParseResult.malformed(SHAPES + ", got an object with none of these");
  }

  private ParseResult snsEnvelope(JsonNode root, int envelopes) {
    JsonNode message = root.get("Message");
    if (!message.isTextual()) {
      return ParseResult.malformed(
          "SNS envelope Message must be a string, got " + JsonFields.describe(message));
    }
    ParseResult inner = parseEmbedded(message.textValue(), envelopes + 1);
    if (inner.isMalformed()) {
      return ParseResult.malformed("SNS envelope Message: " + inner.bodyError());
    }
    Collected out = new Collected();
    out.absorbKeepingIndexes(inner, "Message: ");
    return out.result();
  }

  private ParseResult eventBridge(JsonNode root) {
    String notS3 = EventBridgeEvent.notS3(root);
    if (notS3 != null) {
      return ParseResult.malformed(notS3);
    }
    Collected out = new Collected();
    try {
      String eventName = EventBridgeEvent.eventName(root);
      Dropped byName = filter.byEventName(0, eventName);
      if (byName != null) {
        out.dropped.add(byName);
      } else {
        out.keep(0, EventBridgeEvent.toEvent(root, eventName, options));
      }
    } catch (InvalidRecordException e) {
      out.rejected.add(new Rejected(0, e.getMessage()));
    }
    return out.result();
  }

  private ParseResult parseRecords(JsonNode records, int envelopes) {
    Collected out = new Collected();
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String path = "Records[" + i + "]";
      try {
        if (!record.isObject()) {
          throw new InvalidRecordException(
              path + " must be an object, got " + JsonFields.describe(record));
        }
        if (record.has("body") || isTextual(record, "eventSource", "aws:sqs")) {
          envelopeRecord(
              out,
              i,
              JsonFields.requiredString(record, "body", path + ".body"),
              path + ".body",
              envelopes);
        } else if (record.has("Sns") || isTextual(record, "EventSource", "aws:sns")) {
          JsonNode sns = JsonFields.requiredObject(record, "Sns", path + ".Sns");
          envelopeRecord(
              out,
              i,
              JsonFields.requiredString(sns, "Message", path + ".Sns.Message"),
              path + ".Sns.Message",
              envelopes);
        } else {
          s3Record(out, i, record, path);
        }
      } catch (InvalidRecordException e) {
        out.rejected.add(new Rejected(i, e.getMessage()));
      }
    }
    return out.result();
  }

  private void s3Record(Collected out, int index, JsonNode record, String path) {
    String eventName = NotificationRecord.eventName(record, path);
    Dropped byName = filter.byEventName(index, eventName);
    if (byName != null) {
      out.dropped.add(byName);
      return;
    }
    out.keep(index, NotificationRecord.toEvent(record, path, eventName, options));
  }

  /** An SQS or SNS record: its string is a whole notification, all of it at this record's index. */
  private void envelopeRecord(
      Collected out, int index, String embedded, String path, int envelopes) {
    ParseResult inner = parseEmbedded(embedded, envelopes + 1);
    if (inner.isMalformed()) {
      throw new InvalidRecordException(path + ": " + inner.bodyError());
    }
    out.absorbAt(index, inner, path + ": ");
  }

  private static boolean isTextual(JsonNode node, String field, String value) {
    JsonNode child = node.get(field);
    return child != null && child.isTextual() && value.equals(child.textValue());
  }

  /** Records gathered from one body, across envelopes. */
  private final class Collected {
    final List<ObjectEvent> events = new ArrayList<>();
    final List<Dropped> dropped = new ArrayList<>();
    final List<Rejected> rejected = new ArrayList<>();

    /** Keeps the event unless its decoded key is outside the prefix or suffix. */
    void keep(int index, ObjectEvent event) {
      Dropped byKey = filter.byKey(index, event.key());
      if (byKey != null) {
        dropped.add(byKey);
      } else {
        events.add(event);
      }
    }

    /** An inner notification whose records all belong to one outer record. */
    void absorbAt(int index, ParseResult inner, String reasonPrefix) {
      events.addAll(inner.events());
      for (Dropped d : inner.dropped()) {
        dropped.add(new Dropped(index, d.category(), d.reason()));
      }
      for (Rejected r : inner.rejected()) {
        rejected.add(new Rejected(index, reasonPrefix + r.reason()));
      }
    }

    /** An inner notification that is the whole body (a top-level SNS envelope). */
    void absorbKeepingIndexes(ParseResult inner, String reasonPrefix) {
      events.addAll(inner.events());
      dropped.addAll(inner.dropped());
      for (Rejected r : inner.rejected()) {
        rejected.add(new Rejected(r.index(), reasonPrefix + r.reason()));
      }
    }

    ParseResult result() {
      return ParseResult.of(events, dropped, rejected);
    }
  }
}
