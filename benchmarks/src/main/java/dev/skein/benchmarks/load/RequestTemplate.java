package dev.skein.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One encoded request body and where each trace's id sits in it, so that a send costs a copy and a
 * few hundred byte writes instead of an encoding: every copy gets fresh random trace ids, which
 * makes every span it carries new to the server (a store keyed by trace and span id would otherwise
 * take a replay as a duplicate).
 *
 * <p>Ids are written raw (16 bytes, OTLP protobuf) or as 32 lower-case hex digits (Zipkin JSON).
 * Both have a fixed length, so patching never moves a byte.
 */
final class RequestTemplate {

  /** How a trace id is spelled in the body. */
  enum IdFormat {
    RAW,
    HEX
  }

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final int[][] offsets;
  private final IdFormat format;
  private final int spanCount;

  private RequestTemplate(byte[] bytes, int[][] offsets, IdFormat format, int spanCount) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.format = format;
    this.spanCount = spanCount;
  }

  /**
   * Finds every occurrence of each trace id in {@code bytes}.
   *
   * @param occurrences how often each trace id must occur (its span count): a different count means
   *     the id also matched something else, and the template would be patched wrongly
   * @throws IllegalStateException if a trace id does not occur exactly {@code occurrences[i]} times
   */
  static RequestTemplate locate(
      byte[] bytes, List<byte[]> traceIds, int[] occurrences, IdFormat format) {
    int[][] offsets = new int[traceIds.size()][];
    int spans = 0;
    for (int t = 0; t < traceIds.size(); t++) {
      byte[] pattern = format == IdFormat.RAW ? traceIds.get(t) : hex(traceIds.get(t));
      List<Integer> found = new ArrayList<>();
      for (int at = indexOf(bytes, pattern, 0); at >= 0; at = indexOf(bytes, pattern, at + 1)) {
        found.add(at);
      }
      if (found.size() != occurrences[t]) {
        throw new IllegalStateException(
            "trace " + t + " found " + found.size() + " times, expected " + occurrences[t]);
      }
      offsets[t] = found.stream().mapToInt(Integer::intValue).toArray();
      spans += occurrences[t];
    }
    return new RequestTemplate(bytes, offsets, format, spans);
  }

  /** A copy of the body with a fresh random id for every trace. */
  byte[] instantiate(SplittableRandom random) {
    byte[] body = bytes.clone();
    for (int[] traceOffsets : offsets) {
      long high;
      long low;
      do {
        high = random.nextLong();
        low = random.nextLong();
      } while (high == 0 && low == 0); // the all-zero id is invalid in both formats
      for (int offset : traceOffsets) {
        if (format == IdFormat.RAW) {
          writeRaw(body, offset, high, low);
        } else {
          writeHex(body, offset, high, low);
        }
      }
    }
    return body;
  }

  /** The id of trace {@code trace} in a body made by {@link #instantiate}, as 32 hex digits. */
  String traceIdHex(byte[] body, int trace) {
    int offset = offsets[trace][0];
    if (format == IdFormat.HEX) {
      return new String(body, offset, 32, StandardCharsets.US_ASCII);
    }
    return new String(
        hex(java.util.Arrays.copyOfRange(body, offset, offset + 16)), StandardCharsets.US_ASCII);
  }

  /** The body with the ids the template was made with. */
  byte[] original() {
    return bytes.clone();
  }

  int spanCount() {
    return spanCount;
  }

  int traceCount() {
    return offsets.length;
  }

  int size() {
    return bytes.length;
  }

  private static void writeRaw(byte[] body, int offset, long high, long low) {
    for (int i = 0; i < 8; i++) {
      body[offset + i] = (byte) (high >>> (56 - 8 * i));
      body[offset + 8 + i] = (byte) (low >>> (56 - 8 * i));
    }
  }

  private static void writeHex(byte[] body, int offset, long high, long low) {
    for (int i = 0; i < 16; i++) {
      body[offset + i] = HEX_DIGITS[(int) (high >>> (60 - 4 * i)) & 0xf];
      body[offset + 16 + i] = HEX_DIGITS[(int) (low >>> (60 - 4 * i)) & 0xf];
    }
  }

  static byte[] hex(byte[] raw) {
    byte[] out = new byte[raw.length * 2];
    for (int i = 0; i < raw.length; i++) {
      out[2 * i] = HEX_DIGITS[(raw[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_DIGITS[raw[i] & 0xf];
    }
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
