package dev.skein.server.ingest;

import dev.skein.storage.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Gathers a decoder's output: valid spans, the rejected count and the first rejection. */
final class SpanCollector {
  private final int maxSpans;
  private final List<Span> spans = new ArrayList<>();
  private int seen;
  private int rejected;
  private String firstRejection = "";

  SpanCollector(int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be at least 1, got " + maxSpans);
    }
    this.maxSpans = maxSpans;
  }

  /** Called once for every span in the request, valid or not, before it is decoded. */
  void countSpan() {
    if (++seen > maxSpans) {
      throw new SpanLimitExceededException(maxSpans);
    }
  }

  void accept(Span span) {
    spans.add(span);
  }

  /** Counts a rejected span; {@code where} is only asked for the first one. */
  void reject(Supplier<String> where, String why) {
    if (rejected++ == 0) {
      firstRejection = where.get() + ": " + why;
    }
  }

  DecodedSpans result() {
    return new DecodedSpans(spans, rejected, firstRejection);
  }
}
