package dev.sluice.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Reads a notification body, or a notification embedded as a string (an SQS {@code body}, an SNS
 * {@code Message}), into a tree under limits that stop nesting and size bombs.
 *
 * @param root the tree, or null when it could not be read
 * @param error why it could not be read, or null
 */
record NotificationJson(JsonNode root, String error) {

  /** Deeper than any real notification (about 6 levels), shallow enough to stop a nesting bomb. */
  static final int MAX_NESTING_DEPTH = 64;

  /**
   * S3 keys are at most 1024 bytes (about 3 KiB encoded); an SQS body is at most 256 KiB. No real
   * notification string comes near this.
   */
  static final int MAX_STRING_LENGTH = 256 * 1024;

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

  static NotificationJson read(byte[] body) {
    if (body == null || body.length == 0) {
      return failed("body is empty");
    }
    try {
      return tree(MAPPER.readTree(body));
    } catch (StreamConstraintsException e) {
      return failed("body exceeds parser limits: " + oneLine(e));
    } catch (JsonProcessingException e) {
      return failed("body is not JSON: " + oneLine(e));
    } catch (IOException e) {
      return failed("body cannot be read: " + e.getMessage());
    }
  }

  static NotificationJson read(String embedded) {
    if (embedded.isBlank()) {
      return failed("body is empty");
    }
    try {
      return tree(MAPPER.readTree(embedded));
    } catch (StreamConstraintsException e) {
      return failed("body exceeds parser limits: " + oneLine(e));
    } catch (JsonProcessingException e) {
      return failed("body is not JSON: " + oneLine(e));
    }
  }

  private static NotificationJson tree(JsonNode root) {
    if (root == null || root.isMissingNode()) {
      return failed("body is empty");
    }
    return new NotificationJson(root, null);
  }

  private static NotificationJson failed(String error) {
    return new NotificationJson(null, error);
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
