package dev.sluice.sfnlocal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The Step Functions JSON protocol (awsJson1_0) over HTTP: {@code POST /} with {@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}. Checks the request in the front end's order — method and content
 * type, JSON body, target, signature header — then hands the body to the operation.
 */
final class JsonProtocolHandler implements HttpHandler {

  static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  static final String TARGET_PREFIX = "AWSStepFunctions.";
  private static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024;
  private static final System.Logger LOG = System.getLogger(JsonProtocolHandler.class.getName());

  /** Operations of the real API this endpoint does not implement. */
  private static final Set<String> OTHER_OPERATIONS =
      Set.of(
          "CreateActivity",
          "CreateStateMachine",
          "CreateStateMachineAlias",
          "DeleteActivity",
          "DeleteStateMachine",
          "DeleteStateMachineAlias",
          "DeleteStateMachineVersion",
          "DescribeActivity",
          "DescribeMapRun",
          "DescribeStateMachine",
          "DescribeStateMachineAlias",
          "DescribeStateMachineForExecution",
          "GetActivityTask",
          "GetExecutionHistory",
          "ListActivities",
          "ListMapRuns",
          "ListStateMachineAliases",
          "ListStateMachineVersions",
          "ListStateMachines",
          "ListTagsForResource",
          "PublishStateMachineVersion",
          "RedriveExecution",
          "SendTaskFailure",
          "SendTaskHeartbeat",
          "SendTaskSuccess",
          "StartSyncExecution",
          "TagResource",
          "TestState",
          "UntagResource",
          "UpdateMapRun",
          "UpdateStateMachine",
          "UpdateStateMachineAlias",
          "ValidateStateMachineDefinition");

  private final StepFunctionsApi api;
  private final ExecutionStore store;
  private final ObjectMapper mapper;
  private final String region;

  JsonProtocolHandler(
      StepFunctionsApi api, ExecutionStore store, ObjectMapper mapper, String region) {
    this.api = api;
    this.store = store;
    this.mapper = mapper;
    this.region = region;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        exchange.sendResponseHeaders(413, -1);
        return;
      }
      String contentType =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
              .map(c -> c.split(";")[0].trim().toLowerCase(Locale.ROOT))
              .orElse("");
      if (!exchange.getRequestMethod().equals("POST")
          || (body.length > 0
              && !contentType.equals(CONTENT_TYPE)
              && !contentType.equals("application/json"))) {
        // What the JSON front end answers to a request that is not a JSON protocol call at all.
        send(exchange, 404, "text/xml", "<UnknownOperationException/>\n");
        return;
      }
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation =
          target != null && target.startsWith(TARGET_PREFIX)
              ? target.substring(TARGET_PREFIX.length())
              : null;
      Answer answer = answer(exchange, body, operation);
      if ("StartExecution".equals(operation)) {
        store.countStartAnswer(answer);
      }
      write(exchange, answer);
    } catch (RuntimeException e) {
      // A bug here must not look like a service answer the SDK would trust.
      LOG.log(Level.ERROR, "sfn-local failed on a request", e);
      throw e;
    }
  }

  private Answer answer(HttpExchange exchange, byte[] body, String operation) {
    JsonNode json = null;
    if (body.length > 0) {
      try {
        json = mapper.readTree(body);
      } catch (IOException e) {
        return Answer.refused(ApiError.serialization());
      }
    }
    if (operation == null || !(isImplemented(operation) || OTHER_OPERATIONS.contains(operation))) {
      return Answer.refused(ApiError.unknownOperation(null));
    }
    Optional<ApiError> unsigned = SignatureHeader.check(exchange.getRequestHeaders(), region);
    if (unsigned.isPresent()) {
      return Answer.refused(unsigned.get());
    }
    if (!(json instanceof ObjectNode request)) {
      return Answer.refused(ApiError.serialization());
    }
    switch (operation) {
      case "StartExecution":
        return api.startExecution(request);
      case "DescribeExecution":
        return api.describeExecution(request);
      case "ListExecutions":
        return api.listExecutions(request);
      case "StopExecution":
        return api.stopExecution(request);
      default:
        return Answer.refused(
            ApiError.unknownOperation(operation + " is not implemented by this local endpoint"));
    }
  }

  private static boolean isImplemented(String operation) {
    return Set.of("StartExecution", "DescribeExecution", "ListExecutions", "StopExecution")
        .contains(operation);
  }

  private void write(HttpExchange exchange, Answer answer) throws IOException {
    if (answer instanceof Answer.Ok ok) {
      send(exchange, 200, CONTENT_TYPE, json(ok.body()));
      return;
    }
    ApiError error = ((Answer.Refused) answer).error();
    ObjectNode body = mapper.createObjectNode();
    body.put("__type", error.type());
    if (error.message() != null) {
      body.put("message", error.message());
    }
    exchange.getResponseHeaders().set("x-amzn-ErrorType", error.errorTypeHeader());
    send(exchange, error.status(), CONTENT_TYPE, json(body));
  }

  private String json(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The body, or null when it is larger than the front end takes. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
    return bytes.length > MAX_REQUEST_BYTES ? null : bytes;
  }
}
