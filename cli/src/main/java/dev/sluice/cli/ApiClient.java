package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Talks to a running {@code sluice serve} over its HTTP API. */
final class ApiClient {
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String token;

  /**
   * @param token bearer token for a service whose control endpoints are protected, or null
   */
  ApiClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /**
   * A response with a 2xx status; anything else becomes a {@link CliException} with its message.
   */
  String call(String method, String path, String jsonBody) {
    HttpResponse<String> r = send(method, path, jsonBody, HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  InputStream stream(String path) {
    HttpResponse<InputStream> r =
        send("GET", path, null, HttpResponse.BodyHandlers.ofInputStream());
    return r.body();
  }

  private <T> HttpResponse<T> send(
      String method, String path, String jsonBody, HttpResponse.BodyHandler<T> handler) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    // The audit trail records which interface an action came through.
    b.header("X-Sluice-Client", "cli");
    b.method(
        method,
        jsonBody == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<T> r;
    try {
      r = http.send(b.build(), handler);
    } catch (ConnectException e) {
      throw new CliException("cannot reach sluice at " + base + " (is `sluice serve` running?)");
    } catch (IOException e) {
      throw new CliException("request to " + base.resolve(path) + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    if (r.statusCode() / 100 != 2) {
      Object body = r.body();
      String text;
      try {
        text =
            body instanceof InputStream in
                ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                : String.valueOf(body);
      } catch (IOException e) {
        text = "";
      }
      throw new CliException(
          method + " " + path + " answered " + r.statusCode() + ": " + Json.errorMessage(text));
    }
    return r;
  }
}
