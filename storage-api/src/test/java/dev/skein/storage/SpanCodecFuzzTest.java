package dev.skein.storage;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Whatever bytes arrive, {@link SpanCodec#decode} either returns spans or throws {@link
 * IllegalArgumentException}; nothing else escapes. Spans it returns encode to a canonical form that
 * decodes to the same spans and encodes to the same bytes again. Seeds: {@code
 * src/test/resources/dev/skein/storage/SpanCodecFuzzTestInputs}.
 */
class SpanCodecFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void decodeAnyBytes(byte[] input) {
    List<Span> spans;
    try {
      spans = SpanCodec.decode(input);
    } catch (IllegalArgumentException expected) {
      return;
    }
    byte[] canonical = SpanCodec.encode(spans);
    List<Span> again = SpanCodec.decode(canonical);
    if (!again.equals(spans)) {
      throw new AssertionError("re-encoded batch decodes differently: " + spans + " / " + again);
    }
    if (!Arrays.equals(SpanCodec.encode(again), canonical)) {
      throw new AssertionError("encoding is not stable for " + spans);
    }
  }
}
