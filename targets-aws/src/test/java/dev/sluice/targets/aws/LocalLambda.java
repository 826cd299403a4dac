package dev.sluice.targets.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local endpoint speaking Lambda's {@code Invoke} REST protocol, for the real SDK client: it
 * checks the request (path, method, a SigV4 Authorization header, the invocation type, a JSON
 * payload) and answers as Lambda does, from a script keyed by the payload.
 */
final class LocalLambda implements AutoCloseable {
  static final String FUNCTION = "process-object";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PATH = "/2015-03-31/functions/" + FUNCTION + "/invocations";

  /** One invocation the endpoint accepted. */
  record Invocation(String invocationType, JsonNode payload) {}

  /** What the function does with a payload. */
  record Answer(
      int status, String body, String functionError, String errorType, String retryAfter) {
    static Answer ok() {
      return new Answer(200, "{\"ok\":true}", null, null, null);
    }

    static Answer functionError(String type, String message) {
      return new Answer(
          200,
          "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message + "\"}",
          "Unhandled",
          null,
          null);
    }

    static Answer throttled(String retryAfter) {
      return new Answer(
          429,
          "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\","
              + "\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}",
          null,
          "TooManyRequestsException",
          retryAfter);
    }

    static Answer notFound() {
      return new Answer(
          404,
          "{\"Type\":\"User\",\"message\":\"Function not found\"}",
          null,
          "ResourceNotFoundException",
          null);
    }
  }

  final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  final List<String> refused = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private volatile Function<JsonNode, Answer> script = p -> Answer.ok();

  LocalLambda() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  void script(Function<JsonNode, Answer> s) {
    this.script = s;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readAllBytes();
      String auth = x.getRequestHeaders().getFirst("Authorization");
      String type = x.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
      if (!"POST".equals(x.getRequestMethod()) || !PATH.equals(x.getRequestURI().getPath())) {
        refuse(x, 404, "ResourceNotFoundException", "no such function: " + x.getRequestURI());
        return;
      }
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        refuse(x, 403, "MissingAuthenticationTokenException", "missing SigV4 Authorization");
        return;
      }
      if (type == null) {
        type = "RequestResponse"; // Lambda's default when the header is absent
      }
      if (!type.equals("RequestResponse") && !type.equals("Event")) {
        refuse(x, 400, "InvalidParameterValueException", "invocation type " + type);
        return;
      }
      JsonNode payload;
      try {
        payload = MAPPER.readTree(body);
      } catch (IOException e) {
        refuse(x, 400, "InvalidRequestContentException", "payload is not JSON");
        return;
      }
      Answer a = script.apply(payload);
      if (a.errorType() != null) {
        if (a.retryAfter() != null) {
          x.getResponseHeaders().add("Retry-After", a.retryAfter());
        }
        send(x, a.status(), a.errorType(), a.body());
        return;
      }
      invocations.add(new Invocation(type, payload));
      if (type.equals("Event")) {
        send(x, 202, null, "");
        return;
      }
      if (a.functionError() != null) {
        x.getResponseHeaders().add("X-Amz-Function-Error", a.functionError());
      }
      x.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
      send(x, a.status(), null, a.body());
    }
  }

  private void refuse(HttpExchange x, int status, String type, String message) throws IOException {
    refused.add(type + ": " + message);
    send(x, status, type, "{\"Type\":\"User\",\"message\":\"" + message + "\"}");
  }

  private static void send(HttpExchange x, int status, String errorType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    if (errorType != null) {
      x.getResponseHeaders().add("x-amzn-ErrorType", errorType);
    }
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      x.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
