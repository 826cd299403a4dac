package dev.sluice.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A real HTTP client ({@code java.net.http}) for the service's API, with JSON answers. */
final class ApiCalls {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  ApiCalls(URI base) {
    this.base = base;
  }

  /** One HTTP answer: status, content type, body text and every header. */
  record Answer(int status, String contentType, String body, HttpHeaders headers) {
    Answer(int status, String contentType, String body) {
      this(status, contentType, body, HttpHeaders.of(Map.of(), (name, value) -> true));
    }

    /** The first value of a response header, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("answer is not JSON (status " + status + "): " + body, e);
      }
    }

    /** The JSON body of a 200 answer. */
    JsonNode ok() {
      assertThat(status).as("status of answer %s", body).isEqualTo(200);
      return json();
    }

    /** The body of a 200 answer that is not one JSON document (JSON lines). */
    String ok2() {
      assertThat(status).as("status of answer %s", body).isEqualTo(200);
      return body;
    }

    /** The {@code error} text of a JSON error answer with the given status. */
    String error(int expectedStatus) {
      assertThat(status).as("status of answer %s", body).isEqualTo(expectedStatus);
      assertThat(contentType).startsWith("application/json");
      JsonNode n = json();
      assertThat(n.hasNonNull("error")).as("error field in %s", body).isTrue();
      return n.get("error").asText();
    }
  }

  Answer get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody());
  }

  Answer post(String path, String body) {
    return post(path, body.getBytes(StandardCharsets.UTF_8));
  }

  Answer post(String path, byte[] body) {
    return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  Answer put(String path, String body) {
    return send(
        "PUT", path, HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
  }

  /** Any method with a JSON body (or none, for null) and extra request headers. */
  Answer call(String method, String path, String body, Map<String, String> headers) {
    return send(
        method,
        path,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)),
        headers);
  }

  /** POST with extra request headers, e.g. credentials. */
  Answer post(String path, byte[] body, Map<String, String> headers) {
    return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), headers);
  }

  Answer send(String method, String path, BodyPublisher body) {
    return send(method, path, body, Map.of());
  }

  Answer send(String method, String path, BodyPublisher body, Map<String, String> headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(method, body);
    headers.forEach(builder::header);
    HttpRequest request = builder.build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
