package dev.sluice.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The operations: each checks its request members as the service does, in the service's order
 * (model constraints, then ARN shape, name and input, then the resources), and answers with the
 * service's result shape or error.
 */
final class StepFunctionsApi {

  static final int MAX_ARN_LENGTH = 256;
  static final int MAX_INPUT_LENGTH = 262_144;
  static final int MAX_TRACE_HEADER_LENGTH = 256;
  static final int MAX_ERROR_LENGTH = 256;
  static final int MAX_CAUSE_LENGTH = 32_768;
  static final int MAX_RESULTS = 1000;
  static final int DEFAULT_PAGE = 100;
  static final int MAX_TOKEN_LENGTH = 3096;

  private static final Pattern ASCII = Pattern.compile("\\p{ASCII}*");
  private static final List<String> STATUS_FILTERS =
      List.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE");

  private final ExecutionStore store;
  private final ObjectMapper mapper;
  private final ObjectMapper strictReader;

  StepFunctionsApi(ExecutionStore store, ObjectMapper mapper) {
    this.store = store;
    this.mapper = mapper;
    // Input is one JSON text: "{} x" is not JSON.
    this.strictReader = mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  Answer startExecution(ObjectNode body) {
    // Quotas are enforced before anything in the request is looked at.
    if (!store.tryTakeStartToken()) {
      return Answer.refused(ApiError.throttling());
    }
    Members m = new Members(body);
    String stateMachineArn = m.string("stateMachineArn", true, 1, MAX_ARN_LENGTH, false);
    String name = m.string("name", false, 1, NameRules.MAX_LENGTH, false);
    String input = m.string("input", false, 0, MAX_INPUT_LENGTH, true);
    String traceHeader = m.string("traceHeader", false, 0, MAX_TRACE_HEADER_LENGTH, false);
    m.pattern("traceHeader", traceHeader, ASCII);
    Optional<ApiError> invalid = m.error();
    if (invalid.isPresent()) {
      return Answer.refused(invalid.get());
    }
    Optional<ApiError> badArn = Arns.checkStateMachine(stateMachineArn);
    if (badArn.isPresent()) {
      return Answer.refused(badArn.get());
    }
    if (name != null && !NameRules.hasOnlyAllowedCharacters(name)) {
      return Answer.refused(ApiError.invalidName(name));
    }
    String effectiveInput = input == null ? "{}" : input;
    Optional<ApiError> badInput = checkInput(effectiveInput);
    if (badInput.isPresent()) {
      return Answer.refused(badInput.get());
    }
    String effectiveName = name == null ? UUID.randomUUID().toString() : name;
    ExecutionStore.StartResult result =
        store.start(stateMachineArn, effectiveName, effectiveInput, traceHeader);
    if (result instanceof ExecutionStore.StartResult.Refused r) {
      return Answer.refused(r.error());
    }
    RecordedExecution e = ((ExecutionStore.StartResult.Started) result).execution();
    ObjectNode out = mapper.createObjectNode();
    out.put("executionArn", e.executionArn());
    out.put("startDate", epochSeconds(e.startedAt()));
    return new Answer.Ok(out);
  }

  Answer describeExecution(ObjectNode body) {
    Members m = new Members(body);
    String executionArn = m.string("executionArn", true, 1, MAX_ARN_LENGTH, false);
    Optional<ApiError> invalid = m.error().or(() -> Arns.checkExecution(executionArn));
    if (invalid.isPresent()) {
      return Answer.refused(invalid.get());
    }
    Optional<RecordedExecution> found = store.describe(executionArn);
    if (found.isEmpty()) {
      return Answer.refused(ApiError.executionDoesNotExist(executionArn));
    }
    RecordedExecution e = found.get();
    ObjectNode out = listItem(e);
    out.put("input", e.input());
    out.putObject("inputDetails").put("included", true);
    if (e.output() != null) {
      out.put("output", e.output());
      out.putObject("outputDetails").put("included", true);
    }
    putIfSet(out, "traceHeader", e.traceHeader());
    putIfSet(out, "error", e.error());
    putIfSet(out, "cause", e.cause());
    return new Answer.Ok(out);
  }

  Answer listExecutions(ObjectNode body) {
    Members m = new Members(body);
    String stateMachineArn = m.string("stateMachineArn", false, 1, MAX_ARN_LENGTH, false);
    String mapRunArn = m.string("mapRunArn", false, 1, 2000, false);
    String statusFilter = m.string("statusFilter", false, 0, Integer.MAX_VALUE, false);
    m.oneOf("statusFilter", statusFilter, STATUS_FILTERS);
    int maxResults = m.integer("maxResults", 0, 0, MAX_RESULTS);
    String nextToken = m.string("nextToken", false, 1, MAX_TOKEN_LENGTH, false);
    Optional<ApiError> invalid = m.error();
    if (invalid.isPresent()) {
      return Answer.refused(invalid.get());
    }
    if (mapRunArn != null) {
      // This endpoint runs no Map states, so no Map Run exists.
      return Answer.refused(ApiError.resourceNotFound(mapRunArn));
    }
    if (stateMachineArn == null) {
      return Answer.refused(
          ApiError.validationMessage("Must provide a StateMachine ARN or a MapRun ARN"));
    }
    Optional<ApiError> badArn = Arns.checkStateMachine(stateMachineArn);
    if (badArn.isPresent()) {
      return Answer.refused(badArn.get());
    }
    if (!store.hasStateMachine(stateMachineArn)) {
      return Answer.refused(ApiError.stateMachineDoesNotExist(stateMachineArn));
    }
    ExecutionStatus filter =
        statusFilter == null || statusFilter.equals("PENDING_REDRIVE")
            ? null
            : ExecutionStatus.valueOf(statusFilter);
    long before = Long.MAX_VALUE;
    if (nextToken != null) {
      Optional<Long> decoded = PageToken.decode(nextToken, stateMachineArn, statusFilter);
      if (decoded.isEmpty()) {
        return Answer.refused(ApiError.invalidToken(nextToken));
      }
      before = decoded.get();
    }
    int limit = maxResults == 0 ? DEFAULT_PAGE : maxResults;
    ObjectNode out = mapper.createObjectNode();
    ArrayNode items = out.putArray("executions");
    if ("PENDING_REDRIVE".equals(statusFilter)) {
      return new Answer.Ok(out); // nothing is ever redriven here
    }
    List<ExecutionStore.Listed> page = store.list(stateMachineArn, filter, before, limit);
    for (ExecutionStore.Listed l : page) {
      items.add(listItem(l.execution()));
    }
    if (page.size() == limit) {
      long last = page.get(page.size() - 1).sequence();
      if (store.hasMore(stateMachineArn, filter, last)) {
        out.put("nextToken", PageToken.encode(stateMachineArn, statusFilter, last));
      }
    }
    return new Answer.Ok(out);
  }

  Answer stopExecution(ObjectNode body) {
    Members m = new Members(body);
    String executionArn = m.string("executionArn", true, 1, MAX_ARN_LENGTH, false);
    String error = m.string("error", false, 0, MAX_ERROR_LENGTH, true);
    String cause = m.string("cause", false, 0, MAX_CAUSE_LENGTH, true);
    Optional<ApiError> invalid = m.error().or(() -> Arns.checkExecution(executionArn));
    if (invalid.isPresent()) {
      return Answer.refused(invalid.get());
    }
    Optional<RecordedExecution> stopped = store.stop(executionArn, error, cause);
    if (stopped.isEmpty()) {
      return Answer.refused(ApiError.executionDoesNotExist(executionArn));
    }
    ObjectNode out = mapper.createObjectNode();
    out.put("stopDate", epochSeconds(stopped.get().stoppedAt()));
    return new Answer.Ok(out);
  }

  private Optional<ApiError> checkInput(String input) {
    try {
      JsonNode parsed = strictReader.readTree(input);
      if (parsed == null || parsed.isMissingNode()) {
        return Optional.of(ApiError.invalidExecutionInput("No content to map due to end-of-input"));
      }
    } catch (JsonProcessingException e) {
      return Optional.of(ApiError.invalidExecutionInput(e.getOriginalMessage()));
    }
    int bytes = input.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_INPUT_LENGTH) {
      return Optional.of(
          ApiError.invalidExecutionInput(
              "input is " + bytes + " bytes of UTF-8, more than " + MAX_INPUT_LENGTH));
    }
    return Optional.empty();
  }

  private ObjectNode listItem(RecordedExecution e) {
    ObjectNode out = mapper.createObjectNode();
    out.put("executionArn", e.executionArn());
    out.put("stateMachineArn", e.stateMachineArn());
    out.put("name", e.name());
    out.put("status", e.status().name());
    out.put("startDate", epochSeconds(e.startedAt()));
    if (e.stoppedAt() != null) {
      out.put("stopDate", epochSeconds(e.stoppedAt()));
    }
    return out;
  }

  private static void putIfSet(ObjectNode out, String field, String value) {
    // The service leaves absent members out rather than sending null.
    if (value != null) {
      out.put(field, value);
    }
  }

  /** A timestamp as the JSON protocol carries it: epoch seconds with a millisecond fraction. */
  static BigDecimal epochSeconds(Instant instant) {
    return new BigDecimal(BigInteger.valueOf(instant.toEpochMilli()), 3);
  }

  /** The opaque ListExecutions token: the request it belongs to and where the page ended. */
  static final class PageToken {
    private PageToken() {}

    static String encode(String stateMachineArn, String statusFilter, long lastSequence) {
      String plain =
          "1|"
              + stateMachineArn
              + "|"
              + (statusFilter == null ? "" : statusFilter)
              + "|"
              + lastSequence;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The sequence the page ended at, or empty when the token is not one of this request's. */
    static Optional<Long> decode(String token, String stateMachineArn, String statusFilter) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String[] p = plain.split("\\|", -1);
        String filter = statusFilter == null ? "" : statusFilter;
        if (p.length != 4
            || !p[0].equals("1")
            || !p[1].equals(stateMachineArn)
            || !p[2].equals(filter)) {
          return Optional.empty();
        }
        return Optional.of(Long.parseLong(p[3]));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
  }
}
