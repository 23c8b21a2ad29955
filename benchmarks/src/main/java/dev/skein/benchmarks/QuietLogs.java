package dev.skein.benchmarks;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Silences the warnings both batch processors log when they drop spans. Under a tight loop the
 * OpenTelemetry SDK logs one per export, thousands a second: writing them to a terminal would flood
 * the output and tie the worker thread's speed to the terminal's, in one system more than the
 * other. Errors still show.
 */
final class QuietLogs {

  /** The logging framework holds loggers weakly; keeping them here makes the levels stick. */
  private static final List<Logger> LOGGERS =
      List.of(
          Logger.getLogger("io.opentelemetry"),
          Logger.getLogger("dev.skein"),
          Logger.getLogger("brave"));

  private QuietLogs() {}

  static void apply() {
    LOGGERS.forEach(logger -> logger.setLevel(Level.SEVERE));
  }
}
