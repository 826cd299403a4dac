package dev.sluice.sources.sqs;

import dev.sluice.ingest.MessageIntake;
import dev.sluice.ingest.MessageVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An intake for tests: a body starting with {@code {} is committed (kept in a set), anything else
 * can never be read. A commit can be held open until the test releases it, to play a slow or stuck
 * backlog.
 */
final class RecordingIntake implements MessageIntake {
  private final Set<String> committed = ConcurrentHashMap.newKeySet();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release;

  private RecordingIntake(CountDownLatch release) {
    this.release = release;
  }

  static RecordingIntake immediate() {
    return new RecordingIntake(new CountDownLatch(0));
  }

  /** Every commit waits until {@link #release()}. */
  static RecordingIntake heldUntilReleased() {
    return new RecordingIntake(new CountDownLatch(1));
  }

  @Override
  public List<MessageVerdict> accept(List<String> bodies) {
    entered.countDown();
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("commit held for 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while committing", e);
    }
    List<MessageVerdict> verdicts = new ArrayList<>();
    for (String body : bodies) {
      if (body.startsWith("{")) {
        committed.add(body);
        verdicts.add(MessageVerdict.COMMITTED);
      } else {
        verdicts.add(MessageVerdict.NEVER_READABLE);
      }
    }
    return verdicts;
  }

  Set<String> committed() {
    return Set.copyOf(committed);
  }

  boolean commitStarted() {
    return entered.getCount() == 0;
  }

  void release() {
    release.countDown();
  }
}
