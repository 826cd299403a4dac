package dev.sluice.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ObjectEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parses the S3 event notification shape ({@code {"Records": [...]}}) into events, as S3 posts it
 * to a webhook, as MinIO's webhook target sends it, and as the body of an S3 → SQS message.
 *
 * <p>Keys are form-decoded ({@code red+flower.jpg} is {@code red flower.jpg}, {@code %2B} is a
 * literal {@code +}). Only {@code ObjectCreated:*} records become events; others are {@link
 * Dropped}, as is an {@code s3:TestEvent}. A record that cannot be read is {@link Rejected} with
 * the field at fault, and the records beside it are kept. A body that cannot be read at all comes
 * back as {@link ParseResult#malformed}. {@link #parse} never throws for bad input.
 *
 * <p>Thread-safe: one instance can serve every request.
 */
public final class S3NotificationParser {

  /** The source recorded on events when none is given. */
  public static final String DEFAULT_SOURCE = "webhook";

  /** Deeper than any real notification (about 6 levels), shallow enough to stop a nesting bomb. */
  static final int MAX_NESTING_DEPTH = 64;

  /** S3 keys are at most 1024 bytes (about 3 KiB encoded); no notification string comes near. */
  static final int MAX_STRING_LENGTH = 256 * 1024;

  private static final String TEST_EVENT = "s3:TestEvent";

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxStringLength(MAX_STRING_LENGTH)
                          .maxNumberLength(100)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final String source;

  /** A parser that marks events as coming from {@value #DEFAULT_SOURCE}. */
  public S3NotificationParser() {
    this(DEFAULT_SOURCE);
  }

  /**
   * A parser that marks events as coming from {@code source}.
   *
   * @param source recorded on every event, e.g. {@code webhook}, {@code sqs}, {@code minio}
   */
  public S3NotificationParser(String source) {
    Objects.requireNonNull(source, "source");
    if (source.isBlank()) {
      throw new IllegalArgumentException("source must not be blank");
    }
    this.source = source;
  }

  /** The events, dropped and rejected records in {@code body}, or why it cannot be read. */
  public ParseResult parse(byte[] body) {
    if (body == null || body.length == 0) {
      return ParseResult.malformed("body is empty");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      return ParseResult.malformed("body exceeds parser limits: " + oneLine(e));
    } catch (JsonProcessingException e) {
      return ParseResult.malformed("body is not JSON: " + oneLine(e));
    } catch (IOException e) {
      return ParseResult.malformed("body cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return ParseResult.malformed("body is empty");
    }
    if (!root.isObject()) {
      return ParseResult.malformed(
          "expected an object with a Records array, got " + JsonFields.describe(root));
    }
    JsonNode records = root.get("Records");
    if (records == null || records.isNull()) {
      if (TEST_EVENT.equals(root.path("Event").asText(null))) {
        return ParseResult.of(
            List.of(), List.of(new Dropped(Dropped.WHOLE_BODY, TEST_EVENT)), List.of());
      }
      return ParseResult.malformed(
          "expected an object with a Records array, got an object without Records");
    }
    if (!records.isArray()) {
      return ParseResult.malformed(
          "expected an object with a Records array, got Records as "
              + JsonFields.describe(records));
    }
    return parseRecords(records);
  }

  private ParseResult parseRecords(JsonNode records) {
    List<ObjectEvent> events = new ArrayList<>();
    List<Dropped> dropped = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      String path = "Records[" + i + "]";
      try {
        if (!record.isObject()) {
          throw new InvalidRecordException(
              path + " must be an object, got " + JsonFields.describe(record));
        }
        String eventName = NotificationRecord.eventName(record, path);
        if (!NotificationRecord.isObjectCreated(eventName)) {
          dropped.add(
              new Dropped(
                  i,
                  "event "
                      + NotificationRecord.shorten(eventName)
                      + " is outside the filter "
                      + NotificationRecord.FILTER));
          continue;
        }
        events.add(NotificationRecord.toEvent(record, path, eventName, source));
      } catch (InvalidRecordException e) {
        rejected.add(new Rejected(i, e.getMessage()));
      }
    }
    return ParseResult.of(events, dropped, rejected);
  }

  /** Jackson's message without the multi-line source excerpt, plus where it went wrong. */
  private static String oneLine(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    JsonLocation at = e.getLocation();
    String where =
        at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    return (message == null ? e.getClass().getSimpleName() : message).replaceAll("\\s+", " ")
        + where;
  }
}
