package dev.skein.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Arrays;

/**
 * Reads and writes the W3C {@code traceparent} header in one pass, without regular expressions and
 * without intermediate strings.
 */
final class TraceparentFormat {

  /** {@code 00-} + 32 + {@code -} + 16 + {@code -} + 2. */
  static final int LENGTH = 55;

  /** Sampled (0x01) and random trace id (0x02): the only flags defined; others go out as 0. */
  static final int KNOWN_FLAGS = 0x03;

  static final int TRACE_ID_OFFSET = 3;
  static final int SPAN_ID_OFFSET = 36;
  static final int FLAGS_OFFSET = 53;

  /**
   * Lowercase hex digit values indexed by any char, -1 for everything else (the spec allows no
   * uppercase). 64 KiB, of which the two cache lines holding the digits are the ones touched: a
   * table as wide as char needs neither a range check nor a branch, which measured about twice as
   * fast as a 128-entry table guarded by {@code c < 128}.
   */
  private static final byte[] HEX = new byte[Character.MAX_VALUE + 1];

  private static final String ZERO_TRACE_ID = "00000000000000000000000000000000";
  private static final String ZERO_SPAN_ID = "0000000000000000";

  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  /**
   * Scratch space for one header per thread: the String copies it, so the only allocation of a
   * write is the String itself (96 bytes instead of 224 with a fresh char[]).
   */
  private static final ThreadLocal<char[]> BUFFER = ThreadLocal.withInitial(() -> new char[LENGTH]);

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int i = 0; i < 16; i++) {
      HEX[DIGITS[i]] = (byte) i;
    }
  }

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
    while (start < end && isOws(header.charAt(start))) {
      start++;
    }
    while (end > start && isOws(header.charAt(end - 1))) {
      end--;
    }
    int length = end - start;
    if (length < LENGTH) {
      return null;
    }
    int version = hexByte(header, start);
    if (version < 0 || version == 0xff || header.charAt(start + 2) != '-') {
      return null;
    }
    if (version == 0) {
      if (length != LENGTH) {
        return null;
      }
    } else if (length > LENGTH && header.charAt(start + LENGTH) != '-') {
      // A higher version may append fields, but only after another dash.
      return null;
    }
    if (header.charAt(start + SPAN_ID_OFFSET - 1) != '-'
        || header.charAt(start + FLAGS_OFFSET - 1) != '-') {
      return null;
    }
    int flags = hexByte(header, start + FLAGS_OFFSET);
    if (flags < 0) {
      return null;
    }
    int traceId = start + TRACE_ID_OFFSET;
    int spanId = start + SPAN_ID_OFFSET;
    // Validation only: an OR of table entries is negative when any character is not a digit. The
    // ids are read into longs later, and only if someone asks for them.
    int check = 0;
    for (int i = traceId; i < traceId + 32; i++) {
      check |= HEX[header.charAt(i)];
    }
    for (int i = spanId; i < spanId + 16; i++) {
      check |= HEX[header.charAt(i)];
    }
    if (check < 0
        || header.startsWith(ZERO_TRACE_ID, traceId)
        || header.startsWith(ZERO_SPAN_ID, spanId)) {
      return null;
    }
    int kept = flags & KNOWN_FLAGS;
    TraceState traceState =
        getter == null ? null : TracestateFormat.read(carrier, getter, multiValued);
    if (start == 0 && end == header.length() && version == 0 && kept == flags) {
      return new HeaderSpanContext(header, traceState);
    }
    return RemoteSpanContext.create(
        readHex(header, traceId),
        readHex(header, traceId + 16),
        readHex(header, spanId),
        (byte) kept,
        traceState);
  }

  /** Reads 16 hex digits that {@link #parse} has validated. */
  static long readHex(String header, int offset) {
    long value = 0;
    for (int i = offset; i < offset + 16; i++) {
      value = (value << 4) | HEX[header.charAt(i)];
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
        || !isHex(traceId, 0, 32)
        || !isHex(spanId, 0, 16)) {
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

  static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** Two lowercase hex digits as 0-255, or -1. */
  private static int hexByte(String s, int offset) {
    int high = HEX[s.charAt(offset)];
    int low = HEX[s.charAt(offset + 1)];
    return (high | low) < 0 ? -1 : (high << 4) | low;
  }

  private static boolean isHex(String s, int offset, int count) {
    for (int i = offset; i < offset + count; i++) {
      if (HEX[s.charAt(i)] < 0) {
        return false;
      }
    }
    return true;
  }
}
