package dev.sluice.targets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream to its end on its own daemon thread, keeping only the last {@code capacity} bytes,
 * so a chatty child process can never block on a full pipe and an error message can still show how
 * its output ended.
 */
final class StreamTail {
  private final byte[] ring;
  private final CountDownLatch ended = new CountDownLatch(1);
  private long written;

  private StreamTail(int capacity) {
    this.ring = new byte[capacity];
  }

  /** Starts draining {@code in} on a new daemon thread named {@code threadName}. */
  static StreamTail drain(InputStream in, int capacity, String threadName) {
    StreamTail tail = new StreamTail(capacity);
    Thread reader = new Thread(() -> tail.readToEnd(in), threadName);
    reader.setDaemon(true);
    reader.start();
    return tail;
  }

  private void readToEnd(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) != -1) {
        append(chunk, n);
      }
    } catch (IOException e) {
      // The stream was closed under us (process killed); what we kept is all there is.
    } finally {
      ended.countDown();
    }
  }

  private synchronized void append(byte[] chunk, int n) {
    for (int i = 0; i < n; i++) {
      ring[(int) (written++ % ring.length)] = chunk[i];
    }
  }

  /**
   * Waits up to {@code max} for the end of the stream. A grandchild that inherited the pipe can
   * keep it open after the child exits, so the wait must be bounded.
   */
  void awaitEnd(Duration max) throws InterruptedException {
    ended.await(max.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The last bytes read so far, decoded as UTF-8 and trimmed. */
  synchronized String text() {
    int kept = (int) Math.min(written, ring.length);
    byte[] out = new byte[kept];
    long start = written - kept;
    for (int i = 0; i < kept; i++) {
      out[i] = ring[(int) ((start + i) % ring.length)];
    }
    return new String(out, StandardCharsets.UTF_8).strip();
  }
}
