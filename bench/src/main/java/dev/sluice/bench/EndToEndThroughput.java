package dev.sluice.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One producer appends every event in batches while the dispatcher drains at the same time, as a
 * burst arriving at a running service: events per second from the first append to the last settle.
 */
final class EndToEndThroughput {

  private EndToEndThroughput() {}

  static void run(BenchSettings s, PrintStream out) throws InterruptedException {
    out.println("end-to-end: " + s.describe());
    try (BenchPipeline pipeline = new BenchPipeline(s, "end-to-end", new NoOpTarget())) {
      pipeline.startDispatcher();
      long start = System.nanoTime();
      for (long from = 0; from < s.events(); from += s.appendBatch()) {
        int count = (int) Math.min(s.appendBatch(), s.events() - from);
        pipeline.accept(BenchEvents.numbered(from, count));
      }
      long appended = System.nanoTime();
      long completedThen = pipeline.completed();
      long done = pipeline.awaitCompleted(s.events(), Duration.ofMinutes(15));
      out.println(
          Figures.rate("  end to end (first append to last settle)", s.events(), done - start));
      out.printf(
          "  the producer took %.2f s; %,d were completed by then%n",
          (appended - start) / 1e9, completedThen);
      out.printf("  VmHWM: %.1f MiB%n", ProcessMemory.read().peakRssMib());
    }
  }
}
