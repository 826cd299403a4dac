package dev.sluice.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Fills the backlog with the dispatcher stopped, measures the memory with every event waiting, then
 * starts the dispatcher and measures the drain alone.
 */
final class FillThenDrain {

  private FillThenDrain() {}

  static void run(BenchSettings s, PrintStream out) throws InterruptedException {
    out.println("fill-then-drain: " + s.describe());
    try (BenchPipeline pipeline = new BenchPipeline(s, "fill-then-drain", new NoOpTarget())) {
      long start = System.nanoTime();
      for (long from = 0; from < s.events(); from += s.appendBatch()) {
        int count = (int) Math.min(s.appendBatch(), s.events() - from);
        pipeline.accept(BenchEvents.numbered(from, count));
      }
      long filled = System.nanoTime();
      out.println(Figures.rate("  append only", s.events(), filled - start));

      long waiting = pipeline.waiting();
      ProcessMemory memory = ProcessMemory.read();
      out.printf(
          "  with %,d waiting: VmRSS %.1f MiB, VmHWM (peak so far) %.1f MiB,"
              + " heap used after GC %.1f MiB (max heap %.0f MiB), backlog file %.1f MiB%n",
          waiting,
          memory.rssMib(),
          memory.peakRssMib(),
          Figures.heapUsedAfterGcMib(),
          Runtime.getRuntime().maxMemory() / 1048576.0,
          pipeline.fileBytes() / 1048576.0);

      long drainStart = System.nanoTime();
      pipeline.startDispatcher();
      long drained = pipeline.awaitCompleted(s.events(), Duration.ofMinutes(15));
      out.println(Figures.rate("  drain only", s.events(), drained - drainStart));
      out.printf("  VmHWM at the end: %.1f MiB%n", ProcessMemory.read().peakRssMib());
    }
  }
}
