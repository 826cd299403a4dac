package dev.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client threads that POST S3 notifications to {@code POST /v1/events} on a fixed schedule: post
 * {@code p} is due at start + p x interval. Threads take post numbers in turn and send each at its
 * slot, or at once when behind, so a slow answer delays one thread, not the schedule.
 */
final class PacedWebhookClients {
  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");

  /** One client thread's measurements. */
  record ClientFigures(
      long[] responseNanos, int requests, long acknowledged, int notOk, int failed, long late) {}

  /** Every client's figures, and the time from the first slot to the last answer. */
  record Run(List<ClientFigures> clients, long startNanos, long elapsedNanos) {
    long acknowledged() {
      return clients.stream().mapToLong(ClientFigures::acknowledged).sum();
    }

    int requests() {
      return clients.stream().mapToInt(ClientFigures::requests).sum();
    }

    int notOk() {
      return clients.stream().mapToInt(ClientFigures::notOk).sum();
    }

    int failed() {
      return clients.stream().mapToInt(ClientFigures::failed).sum();
    }

    long late() {
      return clients.stream().mapToLong(ClientFigures::late).sum();
    }

    long[] responseNanos() {
      return clients.stream().flatMapToLong(f -> Arrays.stream(f.responseNanos())).toArray();
    }
  }

  private final HttpClient http;
  private final URI events;
  private final int clients;

  /**
   * @param events the service's {@code /v1/events}
   * @param clients threads sending at once, > 0
   */
  PacedWebhookClients(URI events, int clients) {
    if (clients <= 0) {
      throw new IllegalArgumentException("clients must be > 0, got " + clients);
    }
    this.events = events;
    this.clients = clients;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /**
   * Sends {@code posts} notifications of {@code batch} records, one due every {@code intervalNanos}
   * (0: all at once); the records of post {@code p} have keys from {@code firstKey + p x batch}.
   */
  Run send(long posts, int batch, long intervalNanos, long firstKey)
      throws InterruptedException, ExecutionException {
    AtomicLong nextPost = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<ClientFigures>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(() -> client(nextPost, posts, start, intervalNanos, batch, firstKey)));
      }
      List<ClientFigures> all = new ArrayList<>();
      for (Future<ClientFigures> f : running) {
        all.add(f.get());
      }
      return new Run(all, start, System.nanoTime() - start);
    } finally {
      pool.shutdown();
    }
  }

  private ClientFigures client(
      AtomicLong nextPost, long posts, long start, long intervalNanos, int batch, long firstKey) {
    long[] samples = new long[Math.toIntExact(posts)];
    int n = 0;
    long acknowledged = 0;
    int notOk = 0;
    int failed = 0;
    long late = 0;
    for (long p; (p = nextPost.getAndIncrement()) < posts; ) {
      long due = start + p * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (-wait > intervalNanos) {
        late++;
      }
      HttpRequest request =
          HttpRequest.newBuilder(events)
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      S3NotificationBodies.of(firstKey + p * batch, batch)))
              .build();
      long sent = System.nanoTime();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        samples[n++] = System.nanoTime() - sent;
        Matcher m = ACCEPTED.matcher(r.body());
        if (r.statusCode() / 100 == 2 && m.find()) {
          acknowledged += Long.parseLong(m.group(1));
        } else {
          notOk++;
        }
      } catch (IOException e) {
        failed++;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new ClientFigures(Arrays.copyOf(samples, n), n, acknowledged, notOk, failed, late);
  }
}
