package dev.sluice.targets;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import dev.sluice.core.Target;
import dev.sluice.core.time.TimeSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 */
public final class HttpTarget implements Target {

  static final int BODY_SNIPPET_CHARS = 500;

  /**
   * Where and how to POST.
   *
   * @param url the endpoint, http or https
   * @param timeout how long one request may take, connecting included
   * @param headers extra request headers, e.g. {@code Authorization}
   */
  public record Config(URI url, Duration timeout, Map<String, String> headers) {

    /** Used by {@link #of(URI)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public Config {
      Objects.requireNonNull(url, "target.url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("target.url must be http or https, got " + url);
      }
      if (url.getHost() == null) {
        throw new IllegalArgumentException("target.url must name a host, got " + url);
      }
      Objects.requireNonNull(timeout, "target.timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("target.timeout must be > 0, got " + timeout);
      }
      headers = headers == null ? Map.of() : Map.copyOf(headers);
      headers.forEach((name, value) -> checkHeader(url, name, value));
    }

    /** The endpoint with the default timeout and no extra headers. */
    public static Config of(URI url) {
      return new Config(url, DEFAULT_TIMEOUT, Map.of());
    }

    private static void checkHeader(URI url, String name, String value) {
      if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Idempotency-Key")) {
        throw new IllegalArgumentException(
            "target.headers must not set " + name + ": the HTTP target sets it for every job");
      }
      try {
        // The client's own rules: legal name and value, not a header it reserves (Host, ...).
        HttpRequest.newBuilder(url).header(name, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "target.headers has an unusable header '" + name + "': " + e.getMessage(), e);
      }
    }
  }

  private final Config config;
  private final TimeSource time;
  private final HttpClient client;

  /**
   * @param config endpoint, timeout, headers
   * @param time the clock against which an HTTP-date {@code Retry-After} becomes a wait
   */
  public HttpTarget(Config config, TimeSource time) {
    this.config = Objects.requireNonNull(config, "config");
    this.time = Objects.requireNonNull(time, "time");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            // HTTP/1.1 skips the h2c upgrade on http:// URLs, which some endpoints mishandle.
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public Outcome deliver(Job job) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.url())
            .timeout(config.timeout())
            .POST(HttpRequest.BodyPublishers.ofString(JobJson.toJson(job)));
    config.headers().forEach(request::header);
    request.header("Content-Type", "application/json");
    request.header("Idempotency-Key", job.idempotencyKey());

    CompletableFuture<HttpResponse<String>> pending =
        client.sendAsync(request.build(), HttpTarget::bodyFor);
    try {
      // The request timeout covers only the wait for headers; this bounds the body too.
      return outcomeOf(pending.get(config.timeout().toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      pending.cancel(true);
      return timedOut();
    } catch (ExecutionException e) {
      return failureOf(e.getCause());
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return Outcome.retryable("interrupted while waiting for " + describe());
    }
  }

  private static HttpResponse.BodySubscriber<String> bodyFor(HttpResponse.ResponseInfo info) {
    return isSuccess(info.statusCode())
        ? HttpResponse.BodySubscribers.replacing("")
        : new BodySnippet(BODY_SNIPPET_CHARS);
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  private Outcome outcomeOf(HttpResponse<String> response) {
    int status = response.statusCode();
    if (isSuccess(status)) {
      return Outcome.completed();
    }
    String detail = "HTTP " + status + " from " + describe() + bodySuffix(response.body());
    if (status == 429 || status == 503) {
      String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
      return Outcome.throttled(RetryAfter.parse(retryAfter, time.now()), detail);
    }
    return status >= 500 ? Outcome.retryable(detail) : Outcome.permanent(detail);
  }

  private static String bodySuffix(String body) {
    return body == null || body.isEmpty() ? "" : ": " + body;
  }

  private Outcome failureOf(Throwable cause) {
    if (cause instanceof HttpTimeoutException) {
      return timedOut();
    }
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
}
