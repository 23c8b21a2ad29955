package dev.skein.server.ingest;

import dev.skein.storage.Span;
import java.util.function.Supplier;

/** Checks the decoders share. */
final class Spans {
  private Spans() {}

  /**
   * Why start and end times (unsigned epoch nanoseconds, as OTLP sends them) make a span invalid,
   * or null if they are fine.
   */
  static String invalidTimes(long start, long end) {
    if (start < 0) {
      return "start time " + Long.toUnsignedString(start) + " is out of range";
    }
    if (end < 0) {
      return "end time " + Long.toUnsignedString(end) + " is out of range";
    }
    if (end < start) {
      return "end time " + end + " is before start time " + start;
    }
    return null;
  }

  /** Builds the span into the collector, or rejects it if the model refuses it. */
  static void build(Span.Builder span, SpanCollector collector, Supplier<String> where) {
    Span built;
    try {
      built = span.build();
    } catch (IllegalArgumentException e) {
      collector.reject(where, e.getMessage());
      return;
    }
    collector.accept(built);
  }
}
