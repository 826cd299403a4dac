package dev.sluice.service.http;

import dev.sluice.core.time.TimeSource;
import java.time.Duration;

/**
 * Logs the requests refused because the backlog cannot write, without flooding the log while the
 * disk stays full (a webhook may be refused hundreds of times a second, and the log may be on that
 * disk): the first refusal with its cause, then at most one line per {@code quiet}, with its cause
 * and how many were refused since the last line.
 */
final class RefusalLog {
  private final System.Logger log;
  private final TimeSource time;
  private final long quietNanos;
  private boolean logged;
  private long lastLoggedNanos;
  private long unlogged;

  RefusalLog(System.Logger log, TimeSource time, Duration quiet) {
    this.log = log;
    this.time = time;
    this.quietNanos = quiet.toNanos();
  }

  synchronized void refused(String request, RuntimeException cause) {
    long now = time.nanoTime();
    if (logged && now - lastLoggedNanos < quietNanos) {
      unlogged++;
      return;
    }
    String more = unlogged == 0 ? "" : " (" + unlogged + " more refused since the last line)";
    log.log(System.Logger.Level.WARNING, request + " failed: 503" + more, cause);
    logged = true;
    lastLoggedNanos = now;
    unlogged = 0;
  }
}
