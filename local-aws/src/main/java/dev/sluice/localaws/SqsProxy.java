package dev.sluice.localaws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP proxy between an SQS client and a local SQS server, on 127.0.0.1: point the client's
 * endpoint override at {@link #endpoint()}. It counts the calls SQS answered, per operation (from
 * the {@code X-Amz-Target} header of the JSON protocol the SDK speaks) and can fail a seeded random
 * fraction of the entries of {@code SendMessageBatch} calls to one queue, as SQS reports a partial
 * batch failure: a failed entry is taken out of the request before it is forwarded, and listed in
 * the response's {@code Failed} with {@code SenderFault: false} and code {@code InternalError}.
 */
public final class SqsProxy implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TARGET_PREFIX = "AmazonSQS.";
  private static final Set<String> UNFORWARDED_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  static {
    // The JDK server writes a response's headers and body apart; with Nagle's algorithm on, the
    // client's delayed ACK then costs about 40 ms a call. Read once, when the first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final URI target;
  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicLong entriesFailed = new AtomicLong();
  private volatile FaultPlan faults;

  private SqsProxy(URI target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the SQS proxy", e);
    }
    executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "sqs-proxy");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a proxy in front of the SQS server at {@code target}. */
  public static SqsProxy start(URI target) {
    return new SqsProxy(target);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Calls answered per operation ({@code ReceiveMessage}, {@code SendMessageBatch}, ...). */
  public Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    calls.forEach((op, n) -> out.put(op, n.get()));
    return out;
  }

  /** Calls seen of one operation. */
  public long calls(String operation) {
    AtomicLong n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** Calls answered, of every operation. */
  public long totalCalls() {
    return calls.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public void resetCalls() {
    calls.clear();
  }

  /** Entries of SendMessageBatch calls failed so far. */
  public long entriesFailed() {
    return entriesFailed.get();
  }

  /**
   * From now on, fails each entry of a {@code SendMessageBatch} call to the queue named {@code
   * queueName} with probability {@code fraction}, drawn from a random sequence seeded with {@code
   * seed}.
   */
  public void failSendEntries(String queueName, double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
    }
    faults = new FaultPlan(queueName, fraction, new Random(seed));
  }

  /** Fails no more entries. */
  public void stopFailing() {
    faults = null;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record FaultPlan(String queueName, double fraction, Random random) {
    boolean appliesTo(JsonNode request) {
      JsonNode url = request.get("QueueUrl");
      return url != null && url.asText().endsWith("/" + queueName);
    }

    synchronized boolean fails() {
      return random.nextDouble() < fraction;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String operation = operation(exchange);
      FaultPlan plan = faults;
      ArrayNode failed = null;
      if (plan != null && operation.equals("SendMessageBatch")) {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        if (plan.appliesTo(request)) {
          failed = JSON.createArrayNode();
          ArrayNode kept = JSON.createArrayNode();
          for (JsonNode entry : request.withArray("Entries")) {
            if (plan.fails()) {
              failed
                  .addObject()
                  .put("Id", entry.get("Id").asText())
                  .put("SenderFault", false)
                  .put("Code", "InternalError")
                  .put("Message", "injected transient failure");
            } else {
              kept.add(entry);
            }
          }
          entriesFailed.addAndGet(failed.size());
          if (kept.isEmpty()) {
            ObjectNode response = JSON.createObjectNode();
            response.putArray("Successful");
            response.set("Failed", failed);
            respond(exchange, 200, Map.of(), JSON.writeValueAsBytes(response));
            return;
          }
          request.set("Entries", kept);
          body = JSON.writeValueAsBytes(request);
        }
      }
      HttpResponse<byte[]> response = forward(exchange, body);
      byte[] responseBody = response.body();
      if (failed != null && !failed.isEmpty() && response.statusCode() == 200) {
        ObjectNode merged = (ObjectNode) JSON.readTree(responseBody);
        ArrayNode all = merged.withArray("Failed");
        all.addAll(failed);
        responseBody = JSON.writeValueAsBytes(merged);
      }
      if (response.statusCode() / 100 == 2) {
        // Counted once answered: a call the SDK has to send again (a dropped connection on a
        // loaded machine) counts once, so the counts are the code's calls, not the network's luck.
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
      }
      respond(exchange, response.statusCode(), response.headers().map(), responseBody);
    } catch (RuntimeException | IOException e) {
      // Answered as a server error, which the SDK retries: a proxy bug must not pass as success.
      respond(exchange, 500, Map.of(), ("proxy error: " + e).getBytes(StandardCharsets.UTF_8));
    } finally {
      exchange.close();
    }
  }

  private static String operation(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target == null) {
      return "unknown";
    }
    return target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
  }

  private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException {
    URI uri = target.resolve(exchange.getRequestURI().toString());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!UNFORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> request.header(name, v));
              }
            });
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding", e);
    }
  }

  private static void respond(
      HttpExchange exchange, int status, Map<String, List<String>> headers, byte[] body)
      throws IOException {
    headers.forEach(
        (name, values) -> {
          if (name != null
              && !name.startsWith(":")
              && !UNFORWARDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            exchange.getResponseHeaders().put(name, values);
          }
        });
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
