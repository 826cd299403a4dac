package dev.sluice.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LogTargetTest {
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void deliver_always_writesOneJsonLineWithJobFieldsAndOutcome() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LogTarget target = new LogTarget(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    Outcome first = target.deliver(TestJobs.full());
    Outcome second = target.deliver(TestJobs.minimal());

    assertThat(first).isEqualTo(Outcome.completed());
    assertThat(second).isEqualTo(Outcome.completed());
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasSize(3);
    assertThat(lines[2]).isEmpty();
    JsonNode line = mapper.readTree(lines[0]);
    assertThat(line.get("outcome").asText()).isEqualTo("completed");
    assertThat(line.get("bucket").asText()).isEqualTo("photos");
    assertThat(line.get("key").asText()).isEqualTo("2026/01/my file+1.parquet");
    assertThat(line.get("idempotencyKey").asText())
        .isEqualTo(TestJobs.full().event().identity().idempotencyKey());
    assertThat(line.get("eventId").asLong()).isEqualTo(7);
    assertThat(line.get("releaseId").asLong()).isEqualTo(9);
    assertThat(mapper.readTree(lines[1]).get("key").asText()).isEqualTo("a.txt");
  }

  @Test
  void deliver_fromManyThreads_neverInterleavesLines() throws Exception {
    SlowWriter out = new SlowWriter();
    LogTarget target = new LogTarget(out);
    int threads = 8;
    int perThread = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                  target.deliver(TestJobs.full(base + i, base + i));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    String[] lines = out.text().split("\n");
    assertThat(lines).hasSize(threads * perThread);
    Set<Long> eventIds = new HashSet<>();
    for (String line : lines) {
      eventIds.add(mapper.readTree(line).get("eventId").asLong());
    }
    assertThat(eventIds).hasSize(threads * perThread);
  }

  @Test
  void deliver_whenOutputBroken_failsRetryable() {
    PrintStream broken =
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("pipe closed");
              }
            });

    Outcome outcome = new LogTarget(broken).deliver(TestJobs.full());

    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    assertThat(((Outcome.Failed) outcome).retryable()).isTrue();
  }

  /**
   * Writes one character at a time, yielding between them, as a pipe may split a write:
   * unsynchronized writers would interleave their lines here.
   */
  private static final class SlowWriter extends Writer {
    private final StringBuffer text = new StringBuffer();

    @Override
    public void write(char[] chars, int off, int len) {
      for (int i = off; i < off + len; i++) {
        text.append(chars[i]);
        Thread.yield();
      }
    }

    @Override
    public void write(String str, int off, int len) {
      // java.io.Writer would lock here; the target must cope with writers that do not.
      for (int i = off; i < off + len; i++) {
        text.append(str.charAt(i));
        Thread.yield();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      return text.toString();
    }
  }
}
