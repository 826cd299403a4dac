package dev.sluice.service;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one logger wrote while a test ran. Sluice's own classes log through {@code
 * System.getLogger}, which with no other provider on the class path is {@code java.util.logging}: a
 * handler on the logger of the same name sees every record, with its throwable.
 */
final class CapturedLog implements AutoCloseable {
  // JUL holds loggers weakly: the field keeps this one (and its handler) alive.
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLog(Class<?> source) {
    this.logger = Logger.getLogger(source.getName());
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Starts capturing what the logger named after {@code source} writes. */
  static CapturedLog of(Class<?> source) {
    return new CapturedLog(source);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Records whose message contains {@code text}. */
  List<LogRecord> containing(String text) {
    return records.stream()
        .filter(r -> r.getMessage() != null && r.getMessage().contains(text))
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
