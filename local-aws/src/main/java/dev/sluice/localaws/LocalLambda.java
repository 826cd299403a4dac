package dev.sluice.localaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local endpoint on 127.0.0.1 speaking Lambda's {@code Invoke} REST protocol, for the real SDK
 * client: it checks the request (method, path, function name in any of Lambda's forms with an
 * optional qualifier, a SigV4 Authorization header, the invocation type, a JSON payload) and
 * answers as Lambda does, from a script keyed by the payload. Requests are served concurrently, as
 * Lambda does, so a script may block to see invocations overlap.
 */
public final class LocalLambda implements AutoCloseable {
  /** The one function this endpoint knows. */
  public static final String FUNCTION = "process-object";

  /** The account in the function's ARN. */
  public static final String ACCOUNT = "123456789012";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

  /** Lambda's own pattern of a function name: a name, a partial or a full ARN, and a qualifier. */
  private static final Pattern FUNCTION_NAME =
      Pattern.compile(
          "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d:)?(\\d{12}:)?(function:)?"
              + "([a-zA-Z0-9-_.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");

  /**
   * One invocation the endpoint accepted.
   *
   * @param qualifier the version or alias invoked, or null for the unqualified function
   */
  public record Invocation(String invocationType, String qualifier, JsonNode payload) {}

  /**
   * What the function (or Lambda before it) does with a payload.
   *
   * @param status the HTTP status of a {@code RequestResponse} answer
   * @param body the answer's body
   * @param functionError the {@code X-Amz-Function-Error} header (the function ran and threw), or
   *     null
   * @param errorType Lambda's own error ({@code x-amzn-ErrorType}) when Lambda refuses the call, or
   *     null when the function ran
   * @param retryAfter a {@code Retry-After} header with a refusal, or null
   */
  public record Answer(
      int status, String body, String functionError, String errorType, String retryAfter) {

    /** The function ran and returned. */
    public static Answer ok() {
      return new Answer(200, "{\"ok\":true}", null, null, null);
    }

    /** The function ran and threw: Lambda answers 200 with the error as the payload. */
    public static Answer functionError(String type, String message) {
      ObjectNode error = MAPPER.createObjectNode();
      error.put("errorType", type);
      error.put("errorMessage", message);
      return new Answer(200, error.toString(), "Unhandled", null, null);
    }

    /** Lambda refuses the call for lack of concurrency: 429. */
    public static Answer throttled(String retryAfter) {
      return new Answer(
          429,
          "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\","
              + "\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}",
          null,
          "TooManyRequestsException",
          retryAfter);
    }

    /** No such function: 404. */
    public static Answer notFound() {
      return refusal(404, "ResourceNotFoundException", "Function not found");
    }

    /** The function is being updated (a deploy of it is running): 409. */
    public static Answer pending() {
      return refusal(
          409,
          "ResourceConflictException",
          "The operation cannot be performed at this time. The function is currently in the"
              + " following state: Pending");
    }

    /** Lambda failed on its side: 500. */
    public static Answer serviceError() {
      return refusal(500, "ServiceException", "internal error");
    }

    private static Answer refusal(int status, String type, String message) {
      ObjectNode body = MAPPER.createObjectNode();
      body.put("Type", status >= 500 ? "Service" : "User");
      body.put("message", message);
      return new Answer(status, body.toString(), null, type, null);
    }
  }

  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService workers;
  private volatile Function<JsonNode, Answer> script = p -> Answer.ok();

  private LocalLambda(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  /** Starts the endpoint on a free port; every payload succeeds until {@link #script} says else. */
  public static LocalLambda start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      ExecutorService workers =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "local-lambda");
                t.setDaemon(true);
                return t;
              });
      LocalLambda local = new LocalLambda(server, workers);
      server.createContext("/", local::handle);
      server.setExecutor(workers);
      server.start();
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Lambda endpoint", e);
    }
  }

  /** What the function answers from now on, per payload. */
  public void script(Function<JsonNode, Answer> s) {
    this.script = s;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The function's ARN in {@code region}, with {@code :qualifier} unless it is null. */
  public static String functionArn(String region, String qualifier) {
    return "arn:aws:lambda:"
        + region
        + ":"
        + ACCOUNT
        + ":function:"
        + FUNCTION
        + (qualifier == null ? "" : ":" + qualifier);
  }

  /** The invocations the function ran (or, for {@code Event}, that Lambda queued), in order. */
  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /** Requests refused because they broke the protocol (not scripted refusals). */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readAllBytes();
      Matcher path = PATH.matcher(x.getRequestURI().getRawPath());
      if (!"POST".equals(x.getRequestMethod()) || !path.matches()) {
        refuse(x, 404, "ResourceNotFoundException", "no such operation: " + x.getRequestURI());
        return;
      }
      String name = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
      Matcher function = FUNCTION_NAME.matcher(name);
      if (!function.matches()) {
        refuse(x, 400, "ValidationException", "function name " + name + " breaks the pattern");
        return;
      }
      if (!FUNCTION.equals(function.group(7))) {
        refuse(x, 404, "ResourceNotFoundException", "Function not found: " + name);
        return;
      }
      String qualifier = function.group(9);
      String query = x.getRequestURI().getQuery();
      if (query != null && query.startsWith("Qualifier=")) {
        qualifier = query.substring("Qualifier=".length());
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 Credential=")) {
        refuse(x, 403, "MissingAuthenticationTokenException", "missing SigV4 Authorization");
        return;
      }
      String type = x.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
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
        payload = null;
      }
      if (payload == null) {
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
      invocations.add(new Invocation(type, qualifier, payload));
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
    ObjectNode body = MAPPER.createObjectNode();
    body.put("Type", "User");
    body.put("message", message);
    send(x, status, type, body.toString());
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
    workers.shutdownNow();
  }
}
