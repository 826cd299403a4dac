package dev.sluice.serverless;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.ObjectEvent;
import dev.sluice.ingest.MessageVerdict;
import dev.sluice.ingest.SqsIntake;
import dev.sluice.intake.Dropped;
import dev.sluice.intake.EventFilter;
import dev.sluice.intake.FormEncodedKey;
import dev.sluice.intake.NotificationParser;
import dev.sluice.intake.ParseResult;
import dev.sluice.intake.Rejected;
import dev.sluice.intake.SourceOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one body of the event queue, whatever put it there: a {@link SluiceMessage} (the intake
 * function, or a retry from the completion function, with its attempt); the reference
 * architecture's {@code {event_id, event_timestamp, event_body: "{\"bucket_name\", \"key\"}"}} (its
 * key form-decoded, as the reference passed keys on as S3 sent them; its random {@code event_id} is
 * no part of the event); or any notification {@link NotificationParser} reads (S3 notifications
 * sent straight to the queue, SNS envelopes, EventBridge, MinIO, Ceph). The source's prefix and
 * suffix filters apply to all of them; the verdict is the SQS source's ({@link SqsIntake#verdict}).
 *
 * <p>Thread-safe.
 */
public final class EventQueueReader {

  /** The {@code source} of events read from a reference architecture message. */
  public static final String REFERENCE_SOURCE = "reference";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final NotificationParser parser;
  private final EventFilter filter;
  private final SourceOptions options;

  public EventQueueReader(SourceOptions options) {
    this.options = options;
    this.parser = new NotificationParser(options);
    this.filter = new EventFilter(options);
  }

  /**
   * What one message body holds.
   *
   * @param jobs the attempts to release, in body order, each with its execution name
   * @param parsed what the body was read as (dropped and rejected records, or the body's error)
   * @param verdict whether the message is done with once its jobs are released
   */
  public record Read(List<SluiceMessage> jobs, ParseResult parsed, MessageVerdict verdict) {}

  public Read read(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      root = null; // the parser names the problem
    }
    ParseResult parsed;
    List<SluiceMessage> jobs = new ArrayList<>();
    if (root != null && SluiceMessage.isSluiceMessage(root)) {
      parsed = sluiceMessage(root, jobs);
    } else if (root != null && root.isObject() && root.has("event_body")) {
      parsed = referenceMessage(root, jobs);
    } else {
      parsed = parser.parse(body.getBytes(StandardCharsets.UTF_8));
      for (ObjectEvent e : parsed.events()) {
        jobs.add(SluiceMessage.firstAttempt(e).named());
      }
    }
    return new Read(List.copyOf(jobs), parsed, SqsIntake.verdict(parsed));
  }

  private ParseResult sluiceMessage(JsonNode root, List<SluiceMessage> jobs) {
    SluiceMessage message;
    try {
      message = SluiceMessage.fromJson(root);
    } catch (IllegalArgumentException e) {
      return ParseResult.malformed("Sluice message: " + e.getMessage());
    }
    return filtered(message.event(), message.attempt(), jobs);
  }

  private ParseResult referenceMessage(JsonNode root, List<SluiceMessage> jobs) {
    JsonNode body = root.get("event_body");
    if (body.isTextual()) {
      try {
        body = JSON.readTree(body.textValue());
      } catch (JsonProcessingException e) {
        return ParseResult.malformed("event_body is not JSON: " + e.getOriginalMessage());
      }
    }
    if (body == null || !body.isObject()) {
      return ParseResult.malformed("event_body must be a JSON object or a string holding one");
    }
    JsonNode bucket = body.get("bucket_name");
    JsonNode key = body.get("key");
    if (bucket == null || !bucket.isTextual() || bucket.textValue().isEmpty()) {
      return ParseResult.of(
          List.of(), List.of(), List.of(new Rejected(0, "event_body.bucket_name is missing")));
    }
    if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
      return ParseResult.of(
          List.of(), List.of(), List.of(new Rejected(0, "event_body.key is missing")));
    }
    String decoded;
    try {
      decoded = FormEncodedKey.decode(key.textValue());
    } catch (IllegalArgumentException e) {
      return ParseResult.of(
          List.of(),
          List.of(),
          List.of(
              new Rejected(0, "event_body.key has invalid percent-encoding: " + e.getMessage())));
    }
    if (decoded.isEmpty()) {
      return ParseResult.of(
          List.of(), List.of(), List.of(new Rejected(0, "event_body.key is empty")));
    }
    ObjectEvent event = ObjectEvent.created(bucket.textValue(), decoded, REFERENCE_SOURCE);
    return filtered(event, 1, jobs);
  }

  private ParseResult filtered(ObjectEvent event, int attempt, List<SluiceMessage> jobs) {
    List<ObjectEvent> kept = new ArrayList<>(1);
    List<Dropped> dropped = filter.apply(List.of(event), kept);
    for (ObjectEvent e : kept) {
      jobs.add(new SluiceMessage(e, attempt, null).named());
    }
    return ParseResult.of(kept, dropped, List.of());
  }

  public SourceOptions options() {
    return options;
  }
}
