package dev.skein.server.ingest;

import dev.skein.storage.Span;
import dev.skein.storage.SpanCodec;
import java.util.List;

/** What every decoder's result must satisfy, whatever the input. */
final class FuzzChecks {
  private FuzzChecks() {}

  static void check(DecodedSpans decoded) {
    if (decoded.rejected() < 0) {
      throw new AssertionError("negative rejected count");
    }
    if (decoded.firstRejection().isEmpty() != (decoded.rejected() == 0)) {
      throw new AssertionError("a first rejection exactly when spans were rejected");
    }
    for (Span span : decoded.spans()) {
      if (span.spanId() == 0 || span.parentSpanId() == span.spanId() || span.durationNanos() < 0) {
        throw new AssertionError("an invalid span was accepted: " + span);
      }
    }
    // Whatever a decoder accepts must survive the ingest log's encoding unchanged.
    List<Span> roundTrip = SpanCodec.decode(SpanCodec.encode(decoded.spans()));
    if (!roundTrip.equals(decoded.spans())) {
      throw new AssertionError("spans changed through SpanCodec");
    }
  }
}
