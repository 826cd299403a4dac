package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: the current
 * resident set (VmRSS) and its high-water mark since the process started (VmHWM).
 *
 * @param rssKib VmRSS in KiB
 * @param peakRssKib VmHWM in KiB
 */
record ProcessMemory(long rssKib, long peakRssKib) {

  static ProcessMemory read() {
    try {
      long rss = -1;
      long hwm = -1;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line);
        } else if (line.startsWith("VmHWM:")) {
          hwm = kib(line);
        }
      }
      return new ProcessMemory(rss, hwm);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status (Linux only)", e);
    }
  }

  private static long kib(String line) {
    // "VmRSS:	  123456 kB"
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }

  double rssMib() {
    return rssKib / 1024.0;
  }

  double peakRssMib() {
    return peakRssKib / 1024.0;
  }
}
