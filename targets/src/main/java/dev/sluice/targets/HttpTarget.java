package dev.sluice.targets;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.batch.Batch;
import dev.sluice.core.batch.BatchOutcome;
import dev.sluice.core.time.DurationFormat;
import dev.sluice.core.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * POSTs each job as JSON (see {@link JobJson}) to an HTTP endpoint, with an {@code Idempotency-Key}
 * header derived from the event's identity so the endpoint can drop a redelivery. The status is the
 * outcome:
 *
 * <ul>
 *   <li>2xx — completed;
 *   <li>429, 503 — throttled, waiting as long as {@code Retry-After} says (seconds or HTTP-date);
 *   <li>other 5xx, a timeout, a connection error — a retryable failure;
 *   <li>3xx (redirects are not followed) and other 4xx — a permanent failure.
 * </ul>
 *
 * Failures carry the status and the first {@value #BODY_SNIPPET_CHARS} characters of the body.
 *
 * <p>A batch is one POST of {@link BatchJson} (an object with the batch's key and an {@code items}
 * array), and a 2xx answer may name failed members as Lambda's {@code batchItemFailures} do: see
 * {@link #deliverBatch}.
 */
public final class HttpTarget implements Target {
  private static final System.Logger LOG = System.getLogger(HttpTarget.class.getName());

  static final int BODY_SNIPPET_CHARS = 500;

  /**
   * Where and how to POST: the one definition of the HTTP target's settings, which the service's
   * config reader fills from the {@code target:} section. Messages start with the field's name in
   * that section ({@code url must be ...}), so the reader can put the section in front.
   *
   * @param url the endpoint, http or https
   * @param timeout how long one request may take, connecting included
   * @param headers extra request headers, e.g. {@code Authorization}
   */
  public record Config(URI url, Duration timeout, Map<String, String> headers) {

    /** Used by {@link #of(URI)} and when the config file sets no {@code timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Any URL will do to ask the HTTP client whether it takes a header. */
    private static final URI ANY_URL = URI.create("http://localhost/");

    public Config {
      String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase();
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        throw new IllegalArgumentException(
            "url must be an http or https URL with a host, got "
                + (url == null ? "nothing" : "'" + url + "'"));
      }
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "timeout must be a positive duration, got " + DurationFormat.format(timeout));
      }
      headers =
          headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      checkHeaders(headers);
    }

    /** The endpoint with the default timeout and no extra headers. */
    public static Config of(URI url) {
      return new Config(url, DEFAULT_TIMEOUT, Map.of());
    }

    /**
     * Checks extra request headers as {@link Config} does: valid names, single-line values, none
     * the target sets itself, none the HTTP client refuses.
     *
     * @throws IllegalArgumentException naming the first header at fault
     */
    public static void checkHeaders(Map<String, String> headers) {
      for (Map.Entry<String, String> header : headers.entrySet()) {
        String name = header.getKey();
        String value = header.getValue();
        if (name == null || !HEADER_NAME.matcher(name).matches()) {
          throw new IllegalArgumentException(
              "headers must have valid HTTP header names, got '" + name + "'");
        }
        if (value == null || value.matches("(?s).*[\\r\\n\\x00].*")) {
          throw new IllegalArgumentException("headers." + name + " must be a single line of text");
        }
        if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Idempotency-Key")) {
          throw new IllegalArgumentException(
              "headers must not set " + name + ": the HTTP target sets it for every job");
        }
        try {
          // The client's own rules: legal name and value, not a header it reserves (Host, ...).
          HttpRequest.newBuilder(ANY_URL).header(name, value);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "headers has an unusable header '" + name + "': " + e.getMessage(), e);
        }
      }
    }

    /** Shows header names only: values often carry credentials ({@code Authorization}). */
    @Override
    public String toString() {
      return "HttpTarget.Config[url="
          + url
          + ", timeout="
          + timeout
          + ", headers="
          + headers.keySet()
          + "]";
    }
  }

  private final Config config;
  private final TimeSource time;

  /**
   * Ends an exchange that runs past the timeout: the connect and read timeouts bound each step,
   * this bounds the whole (a body that trickles in forever).
   */
  private final ScheduledThreadPoolExecutor deadlines;

  /**
   * @param config endpoint, timeout, headers
   * @param time the clock against which an HTTP-date {@code Retry-After} becomes a wait
   */
  public HttpTarget(Config config, TimeSource time) {
    this.config = Objects.requireNonNull(config, "config");
    this.time = Objects.requireNonNull(time, "time");
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "sluice-http-target-deadlines");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
  }

  /**
   * One blocking exchange on the worker's own thread, over the JDK's keep-alive connections. The
   * JDK's asynchronous {@code HttpClient} hands every exchange between its selector thread and an
   * executor: on 2 cores it made about 3,200 exchanges a second with 32 at once, this about 7,100,
   * and that CPU is what a release at a few thousand a second needs.
   */
  @Override
  public Outcome deliver(Job job) {
    return post(JobJson.toJson(job), job.idempotencyKey(), false).outcome();
  }

  /**
   * One POST of the batch's document ({@link BatchJson}) with the batch's idempotency key as {@code
   * Idempotency-Key}. A 2xx answer completes every member except those its body names in {@code
   * batchItemFailures} ({@link BatchItemFailures}); any other status is the outcome of every
   * member, as for one job (429 and 503 throttle the whole batch).
   */
  @Override
  public BatchOutcome deliverBatch(Batch batch, Arrival arrival) {
    Answer answer = post(BatchJson.toJson(batch), batch.idempotencyKey(), true);
    if (answer.body() == null) {
      return BatchOutcome.all(answer.outcome());
    }
    return BatchItemFailures.read(batch, answer.body(), describe());
  }

  /** The outcome of a POST, and a 2xx answer's body when it was asked for. */
  private record Answer(Outcome outcome, String body) {}

  /** Most characters of a batch answer read: ample for the ids of 10,000 failed items. */
  static final int BATCH_ANSWER_CHARS = 1_000_000;

  private Answer post(String document, String idempotencyKey, boolean readAnswer) {
    byte[] body = document.getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection;
    try {
      // No proxy, as before: a proxy set for the JVM is not meant for the target.
      connection = (HttpURLConnection) config.url().toURL().openConnection(Proxy.NO_PROXY);
    } catch (IOException e) {
      return new Answer(failureOf(e), null);
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              timedOut.set(true);
              connection.disconnect();
            },
            config.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return exchange(connection, idempotencyKey, body, readAnswer);
    } catch (SocketTimeoutException e) {
      return new Answer(timedOut(), null);
    } catch (IOException e) {
      return new Answer(timedOut.get() ? timedOut() : failureOf(e), null);
    } catch (RuntimeException e) {
      if (timedOut.get()) {
        return new Answer(timedOut(), null);
      }
      // Not a network failure but a bug or a broken JDK client: the outcome keeps the message,
      // the log keeps where it broke.
      LOG.log(System.Logger.Level.WARNING, "HTTP target failed on " + describe(), e);
      return new Answer(failureOf(e), null);
    } finally {
      deadline.cancel(false);
    }
  }

  private Answer exchange(
      HttpURLConnection c, String idempotencyKey, byte[] body, boolean readAnswer)
      throws IOException {
    int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    c.setConnectTimeout(timeoutMillis);
    c.setReadTimeout(timeoutMillis);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    // Streaming the body also keeps the JDK from sending a POST a second time on its own when a
    // kept-alive connection turns out closed: a repeat is the dispatcher's decision, not the
    // client's, or the target would see a job the gate never counted.
    c.setFixedLengthStreamingMode(body.length);
    config.headers().forEach(c::setRequestProperty);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("Idempotency-Key", idempotencyKey);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    int status = c.getResponseCode();
    if (isSuccess(status)) {
      if (readAnswer) {
        String answer = BodySnippet.read(c.getInputStream(), BATCH_ANSWER_CHARS);
        return new Answer(Outcome.completed(), answer);
      }
      // Read to the end so the connection goes back to the keep-alive pool.
      try (InputStream in = c.getInputStream()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return new Answer(Outcome.completed(), null);
    }
    String detail =
        "HTTP "
            + status
            + " from "
            + describe()
            + bodySuffix(BodySnippet.read(c.getErrorStream(), BODY_SNIPPET_CHARS));
    if (status == 429 || status == 503) {
      String retryAfter = c.getHeaderField("Retry-After");
      return new Answer(Outcome.throttled(RetryAfter.parse(retryAfter, time.now()), detail), null);
    }
    return new Answer(status >= 500 ? Outcome.retryable(detail) : Outcome.permanent(detail), null);
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  private static String bodySuffix(String body) {
    return body == null || body.isEmpty() ? "" : ": " + body;
  }

  private Outcome failureOf(Throwable cause) {
    // Connection refused, reset, TLS trouble: the endpoint may be back on the next attempt.
    return Outcome.retryable(
        describe() + " failed: " + cause.getClass().getSimpleName() + messageSuffix(cause));
  }

  private static String messageSuffix(Throwable cause) {
    return cause.getMessage() == null ? "" : ": " + cause.getMessage();
  }

  private Outcome timedOut() {
    return Outcome.retryable(
        describe() + " timed out after " + config.timeout().toMillis() + " ms");
  }

  @Override
  public String describe() {
    return "http POST " + config.url();
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }
}
