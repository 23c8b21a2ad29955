package dev.skein.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Reads and writes the W3C {@code traceparent} header: one pass over the characters, no regular
 * expressions, no intermediate strings.
 */
final class TraceparentFormat {

  /** {@code 00-} + 32 + {@code -} + 16 + {@code -} + 2. */
  static final int LENGTH = 55;

  /** Sampled (0x01) and random trace id (0x02): the only flags defined; others go out as 0. */
  static final int KNOWN_FLAGS = 0x03;

  static final int TRACE_ID_OFFSET = 3;
  static final int SPAN_ID_OFFSET = 36;
  static final int FLAGS_OFFSET = 53;

  private static final String ZERO_TRACE_ID = "00000000000000000000000000000000";
  private static final String ZERO_SPAN_ID = "0000000000000000";

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  /**
   * Scratch space for one header per thread: the String copies it, so the only allocation of a
   * write is the String itself (96 bytes instead of 224 with a fresh char[]).
   */
  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[LENGTH]);

  private TraceparentFormat() {}

  /**
   * Returns the context the header describes, or null when the header is invalid (the caller then
   * restarts the trace). Only the sampled and random flags are kept. The {@code tracestate} is read
   * from the carrier only once the header proved valid, as the spec requires; a null getter reads
   * none. A header already in the form we write becomes a {@link HeaderSpanContext}, any other a
   * {@link RemoteSpanContext}.
   */
  static <C> LongIdSpanContext parse(
      String header, C carrier, TextMapGetter<C> getter, boolean multiValued) {
    int end = header.length();
    int start = 0;
    while (start < end && W3CChars.isOws(header.charAt(start))) {
      start++;
    }
    while (end > start && W3CChars.isOws(header.charAt(end - 1))) {
      end--;
    }
    int version = version(header, start, end);
    if (version < 0 || !hasValidIds(header, start)) {
      return null;
    }
    int flags = hexByte(header, start + FLAGS_OFFSET);
    if (flags < 0) {
      return null;
    }
    int kept = flags & KNOWN_FLAGS;
    TraceState traceState =
        getter == null ? null : TracestateFormat.read(carrier, getter, multiValued);
    if (start == 0 && end == header.length() && version == 0 && kept == flags) {
      return new HeaderSpanContext(header, traceState);
    }
    return RemoteSpanContext.create(
        readHex(header, start + TRACE_ID_OFFSET),
        readHex(header, start + TRACE_ID_OFFSET + 16),
        readHex(header, start + SPAN_ID_OFFSET),
        (byte) kept,
        traceState);
  }

  /**
   * The version of the trimmed header in {@code [start, end)}, or -1 when the header is not laid
   * out as that version requires: exactly 55 characters for 00; for a higher one at least 55, with
   * a dash after the flags if more follows. Version ff is invalid.
   */
  private static int version(String header, int start, int end) {
    int length = end - start;
    if (length < LENGTH) {
      return -1;
    }
    int version = hexByte(header, start);
    if (version < 0
        || version == 0xff
        || (version == 0 && length != LENGTH)
        || (length > LENGTH && header.charAt(start + LENGTH) != '-')
        || header.charAt(start + TRACE_ID_OFFSET - 1) != '-'
        || header.charAt(start + SPAN_ID_OFFSET - 1) != '-'
        || header.charAt(start + FLAGS_OFFSET - 1) != '-') {
      return -1;
    }
    return version;
  }

  /** Whether both ids are lowercase hex and neither is all zeros. */
  private static boolean hasValidIds(String header, int start) {
    int traceId = start + TRACE_ID_OFFSET;
    int spanId = start + SPAN_ID_OFFSET;
    // Validation only: the ids are read into longs later, and only if someone asks for them.
    int classes = W3CChars.HEX;
    for (int i = traceId; i < traceId + 32; i++) {
      classes &= W3CChars.of(header.charAt(i));
    }
    for (int i = spanId; i < spanId + 16; i++) {
      classes &= W3CChars.of(header.charAt(i));
    }
    // The first digit decides most of the time, sparing the call that compares the rest.
    return classes != 0
        && (header.charAt(traceId) != '0' || !header.startsWith(ZERO_TRACE_ID, traceId))
        && (header.charAt(spanId) != '0' || !header.startsWith(ZERO_SPAN_ID, spanId));
  }

  /** Reads 16 hex digits that {@link #parse} has validated. */
  static long readHex(String header, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      value = (value << 4) | (W3CChars.of(header.charAt(i)) & 0xF);
    }
    return value;
  }

  /** Writes a version 00 header; {@code flags} beyond the known ones are cleared. */
  static String write(long traceIdHigh, long traceIdLow, long spanId, int flags) {
    char[] chars = BUFFER.get();
    chars[0] = '0';
    chars[1] = '0';
    chars[2] = '-';
    Ids.writeHex(traceIdHigh, chars, TRACE_ID_OFFSET);
    Ids.writeHex(traceIdLow, chars, TRACE_ID_OFFSET + 16);
    chars[SPAN_ID_OFFSET - 1] = '-';
    Ids.writeHex(spanId, chars, SPAN_ID_OFFSET);
    chars[FLAGS_OFFSET - 1] = '-';
    writeFlags(flags, chars);
    return new String(chars);
  }

  /**
   * Writes a version 00 header from the hex ids of a span context we did not make, or returns null
   * when they are not 32 and 16 lowercase hex digits.
   */
  static String write(String traceId, String spanId, int flags) {
    if (traceId == null
        || spanId == null
        || traceId.length() != 32
        || spanId.length() != 16
        || !isHex(traceId)
        || !isHex(spanId)) {
      return null;
    }
    char[] chars = BUFFER.get();
    chars[0] = '0';
    chars[1] = '0';
    chars[2] = '-';
    traceId.getChars(0, 32, chars, TRACE_ID_OFFSET);
    chars[SPAN_ID_OFFSET - 1] = '-';
    spanId.getChars(0, 16, chars, SPAN_ID_OFFSET);
    chars[FLAGS_OFFSET - 1] = '-';
    writeFlags(flags, chars);
    return new String(chars);
  }

  private static void writeFlags(int flags, char[] chars) {
    chars[FLAGS_OFFSET] = '0';
    chars[FLAGS_OFFSET + 1] = DIGITS[flags & KNOWN_FLAGS];
  }

  /** Two lowercase hex digits as 0-255, or -1. */
  private static int hexByte(String s, int offset) {
    int high = W3CChars.of(s.charAt(offset));
    int low = W3CChars.of(s.charAt(offset + 1));
    return (high & low & W3CChars.HEX) == 0 ? -1 : (high & 0xF) << 4 | (low & 0xF);
  }

  private static boolean isHex(String s) {
    int classes = W3CChars.HEX;
    for (int i = 0; i < s.length(); i++) {
      classes &= W3CChars.of(s.charAt(i));
    }
    return classes != 0;
  }
}
