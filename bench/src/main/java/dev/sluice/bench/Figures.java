package dev.sluice.bench;

/** How the benchmark prints what it measured. */
final class Figures {

  private Figures() {}

  static String rate(String what, long events, long nanos) {
    double seconds = nanos / 1e9;
    return String.format(
        "%s: %,d events in %.2f s = %,.0f events/s", what, events, seconds, events / seconds);
  }

  /** Heap in use after a full collection: what the live objects really take. */
  static double heapUsedAfterGcMib() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
  }
}
