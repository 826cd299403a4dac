package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Job;
import dev.sluice.core.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingTargetTest {

  private static Job job(long eventId) {
    Instant releasedAt = Instant.parse("2026-03-01T12:00:00Z");
    return new Job(eventId, eventId, 1, releasedAt, TestEvents.numbered((int) eventId));
  }

  @Test
  void deliver_whenAnswerIsAFunction_recordsJobsInOrderAndAnswersEach() {
    RecordingTarget target =
        new RecordingTarget(
            j -> j.eventId() % 2 == 0 ? Outcome.completed() : Outcome.retryable("odd"));

    Outcome first = target.deliver(job(1));
    Outcome second = target.deliver(job(2));

    assertThat(first).isEqualTo(Outcome.retryable("odd"));
    assertThat(second).isEqualTo(Outcome.completed());
    assertThat(target.jobs()).containsExactly(job(1), job(2));
    assertThat(target.count()).isEqualTo(2);
  }

  @Test
  void deliver_whenGivenItsOwnClock_recordsEachArrivalAtThatClocksTime() {
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(7);
    RecordingTarget target = new RecordingTarget(j -> Outcome.completed(), clock::get);

    target.deliver(job(1));
    clock.set(1_000_000_123L);
    target.deliver(job(2));

    assertThat(target.receipts())
        .containsExactly(
            new RecordingTarget.Receipt(job(1), 7),
            new RecordingTarget.Receipt(job(2), 1_000_000_123L));
  }

  @Test
  void deliver_withAnArrival_tellsItOnceTheReceiptIsRecorded() {
    RecordingTarget target = RecordingTarget.completing();
    List<Integer> receiptsAtArrival = new ArrayList<>();

    target.deliver(job(1), () -> receiptsAtArrival.add(target.count()));

    assertThat(receiptsAtArrival).containsExactly(1);
  }

  @Test
  void answerWith_whenChanged_appliesToLaterJobsOnly() {
    RecordingTarget target = RecordingTarget.answering(Outcome.permanent("down"));
    Outcome before = target.deliver(job(1));

    target.answerWith(j -> Outcome.completed());

    assertThat(before).isEqualTo(Outcome.permanent("down"));
    assertThat(target.deliver(job(2))).isEqualTo(Outcome.completed());
  }

  @Test
  void deliver_whenAnswerThrows_stillRecordsTheJob() {
    RecordingTarget target =
        new RecordingTarget(
            j -> {
              throw new IllegalStateException("target blew up");
            });

    assertThatThrownBy(() -> target.deliver(job(7))).hasMessage("target blew up");
    assertThat(target.jobs()).containsExactly(job(7));
  }

  @Test
  void deliver_whenManyThreadsAtOnce_recordsEveryJob() throws Exception {
    RecordingTarget target = RecordingTarget.completing();
    int threads = 8;
    int perThread = 1_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        work.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    target.deliver(job(base + i));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : work) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(target.count()).isEqualTo(threads * perThread);
    assertThat(target.jobs()).extracting(Job::eventId).doesNotHaveDuplicates();
  }

  @Test
  void close_whenCalled_isVisible() {
    RecordingTarget target = RecordingTarget.completing();
    assertThat(target.isClosed()).isFalse();

    target.close();

    assertThat(target.isClosed()).isTrue();
  }
}
