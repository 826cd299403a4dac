package dev.sluice.cli;

import java.io.PrintStream;

/**
 * The progress line a listing command keeps rewriting on the terminal while it lists; nothing when
 * its error stream is not a terminal (a pipe, a log), where only the summary is printed.
 */
final class ListingProgress {
  private final PrintStream err;
  private final boolean terminal;
  private int width;

  ListingProgress(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** A progress line on the terminal of this process, if it has one. */
  static ListingProgress onConsole() {
    return new ListingProgress(System.err, System.console() != null);
  }

  void show(String line) {
    if (!terminal) {
      return;
    }
    // Pads over the end of a longer line shown before.
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    err.flush();
    width = line.length();
  }

  /** Clears the line before the summary (or an error) is printed. */
  void done() {
    if (terminal && width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }
}
