package dev.sluice.serverless.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * EventBridge Scheduler may invoke the scheduler twice for one scheduled time, and a slow tick may
 * still run when the next begins: the stored budget keeps each tick at N, counted from what the
 * Step Functions endpoint started.
 */
class DuplicateAndOverlappingTicksTest {
  private static final Instant T1 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant T2 = T1.plus(Duration.ofMinutes(1));

  @Test
  void tick_invokedTwiceForOneTime_andTwiceAtOnceForTheNext_startsNoMoreThanTheLimitPerTick()
      throws Exception {
    var objects = TestPipeline.objects("ticks", 40);
    try (TestPipeline p =
        new TestPipeline(sfn -> {}, f -> f.limit(10).every(Duration.ofMinutes(1)))) {
      p.notifyIntake(objects);
      p.functions.startEventSource();

      Tick first = p.functions.tick(T1);
      Tick again = p.functions.tick(T1);
      awaitInvocationsStarted(p);

      assertThat(p.executions()).hasSize(10);
      assertThat(first.released() + again.released()).isEqualTo(10);

      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Tick>> overlapping = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          overlapping.add(
              pool.submit(
                  () -> {
                    go.await();
                    return p.functions.tick(T2);
                  }));
        }
        go.countDown();
        int released = 0;
        for (Future<Tick> f : overlapping) {
          released += f.get().released();
        }
        awaitInvocationsStarted(p);

        assertThat(p.executions()).hasSize(20);
        assertThat(released).isEqualTo(10);
        assertThat(p.messagesOn(p.events.queue())).isEqualTo(20);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** Every released job has started: the invocation queue is empty (a message goes after). */
  private static void awaitInvocationsStarted(TestPipeline p) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> p.messagesOn(p.invocations.queue()) == 0);
  }
}
