package dev.skein.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The W3C {@code tracestate} grammar: a single-pass scanner over the combined header, key and value
 * checks for the builder, and serialization with the spec's truncation order.
 */
final class TracestateFormat {

  /** Members in one header; the strict conformance cases treat a 33rd as invalid. */
  static final int MAX_MEMBERS = 32;

  static final int MAX_KEY_LENGTH = 256;
  static final int MAX_VALUE_LENGTH = 256;

  /** Propagated length: the spec asks for at least 512 characters; longer is truncated to this. */
  static final int MAX_HEADER_LENGTH = 512;

  /** Members longer than this are the first to go when the header is truncated. */
  static final int LONG_MEMBER = 128;

  static final String HEADER = "tracestate";

  private TracestateFormat() {}

  /**
   * Reads every {@code tracestate} header, combined in order with {@code ,}. Returns the default
   * (empty) state when there is none, none with a member, or the combination is invalid: a bad
   * {@code tracestate} is dropped whole and never affects {@code traceparent}. A getter that is not
   * {@code multiValued} is asked with {@code get}, which allocates no iterator.
   */
  static <C> TraceState read(C carrier, TextMapGetter<C> getter, boolean multiValued) {
    if (!multiValued) {
      return read(getter.get(carrier, HEADER));
    }
    Iterator<String> values = getter.getAll(carrier, HEADER);
    if (values == null) {
      return TraceState.getDefault();
    }
    String first = null;
    StringBuilder combined = null;
    while (values.hasNext()) {
      String value = values.next();
      if (value == null) {
        continue;
      }
      if (first == null) {
        first = value;
      } else {
        if (combined == null) {
          combined = new StringBuilder(first.length() + value.length() + 1).append(first);
        }
        combined.append(',').append(value);
      }
    }
    return read(combined != null ? combined.toString() : first);
  }

  private static TraceState read(String header) {
    if (header == null || scan(header, null) <= 0) {
      return TraceState.getDefault();
    }
    // Kept as received, but without whitespace at the ends: an HTTP field value has none, and
    // some clients refuse to send one that does.
    int start = 0;
    int end = header.length();
    while (W3CChars.isOws(header.charAt(start))) {
      start++;
    }
    while (W3CChars.isOws(header.charAt(end - 1))) {
      end--;
    }
    return W3CTraceState.ofValidHeader(
        start == 0 && end == header.length() ? header : header.substring(start, end));
  }

  /**
   * Scans a combined header. Returns the number of non-empty members, or -1 when the header is
   * invalid. When {@code entries} is non-null (room for {@code 2 * MAX_MEMBERS}), key/value pairs
   * are stored there in order, a repeated key keeping its first (left-most, most recent) value; the
   * unused tail stays null. Work is linear in the length and nothing is allocated unless stored.
   */
  static int scan(String header, String[] entries) {
    int length = header.length();
    int members = 0;
    int stored = 0;
    int i = 0;
    while (i < length) {
      char c = header.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        // Whitespace around members and empty members are allowed.
        i++;
        continue;
      }
      if (++members > MAX_MEMBERS || (W3CChars.of(c) & W3CChars.KEY_START) == 0) {
        return -1;
      }
      int keyStart = i++;
      while (i < length && (W3CChars.of(header.charAt(i)) & W3CChars.KEY) != 0) {
        i++;
      }
      int keyEnd = i;
      if (keyEnd - keyStart > MAX_KEY_LENGTH || i == length || header.charAt(i) != '=') {
        return -1;
      }
      int valueStart = ++i;
      int valueEnd = -1; // exclusive end of the value, trailing whitespace excluded
      boolean tab = false; // a tab since the last value character: fine only if trailing
      for (; i < length; i++) {
        c = header.charAt(i);
        if ((W3CChars.of(c) & W3CChars.VALUE) != 0) {
          if (tab) {
            return -1;
          }
          valueEnd = i + 1;
        } else if (c == ',') {
          break;
        } else if (c == '\t') {
          tab = true;
        } else if (c != ' ') {
          // a space is part of the value if a value character follows, else trailing whitespace
          return -1;
        }
      }
      if (valueEnd < 0 || valueEnd - valueStart > MAX_VALUE_LENGTH) {
        return -1;
      }
      if (entries != null && indexOf(entries, stored, header, keyStart, keyEnd) < 0) {
        entries[2 * stored] = header.substring(keyStart, keyEnd);
        entries[2 * stored + 1] = header.substring(valueStart, valueEnd);
        stored++;
      }
    }
    return members;
  }

  /** Key/value pairs of a header that {@link #scan} accepted, duplicates dropped. */
  static String[] parse(String header) {
    String[] entries = new String[2 * MAX_MEMBERS];
    if (scan(header, entries) < 0) {
      return new String[0];
    }
    int used = 0;
    while (used < entries.length && entries[used] != null) {
      used += 2;
    }
    return Arrays.copyOf(entries, used);
  }

  private static int indexOf(String[] entries, int pairs, String header, int start, int end) {
    int keyLength = end - start;
    for (int p = 0; p < pairs; p++) {
      String key = entries[2 * p];
      if (key.length() == keyLength && header.regionMatches(start, key, 0, keyLength)) {
        return p;
      }
    }
    return -1;
  }

  static boolean isValidKey(String key) {
    int length = key.length();
    if (length == 0
        || length > MAX_KEY_LENGTH
        || (W3CChars.of(key.charAt(0)) & W3CChars.KEY_START) == 0) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      if ((W3CChars.of(key.charAt(i)) & W3CChars.KEY) == 0) {
        return false;
      }
    }
    return true;
  }

  /** 1 to 256 printable characters other than {@code ,} and {@code =}, not ending in a space. */
  static boolean isValidValue(String value) {
    int length = value.length();
    if (length == 0 || length > MAX_VALUE_LENGTH || value.charAt(length - 1) == ' ') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c != ' ' && (W3CChars.of(c) & W3CChars.VALUE) == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Joins key/value pairs with {@code ,}. Past {@link #MAX_HEADER_LENGTH} whole members are
   * dropped: first those longer than {@link #LONG_MEMBER}, right-most first, then from the right,
   * each step stopping as soon as the rest fits. Returns "" when nothing is left.
   */
  static String serialize(String[] entries, int pairs) {
    int total = -1; // no comma before the first member
    for (int p = 0; p < pairs; p++) {
      total += memberLength(entries, p) + 1;
    }
    boolean[] dropped = null;
    if (total > MAX_HEADER_LENGTH) {
      dropped = new boolean[pairs];
      for (int p = pairs - 1; p >= 0 && total > MAX_HEADER_LENGTH; p--) {
        if (memberLength(entries, p) > LONG_MEMBER) {
          dropped[p] = true;
          total -= memberLength(entries, p) + 1;
        }
      }
      for (int p = pairs - 1; p >= 0 && total > MAX_HEADER_LENGTH; p--) {
        if (!dropped[p]) {
          dropped[p] = true;
          total -= memberLength(entries, p) + 1;
        }
      }
    }
    if (total <= 0) {
      return "";
    }
    StringBuilder out = new StringBuilder(total);
    for (int p = 0; p < pairs; p++) {
      if (dropped != null && dropped[p]) {
        continue;
      }
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(entries[2 * p]).append('=').append(entries[2 * p + 1]);
    }
    return out.toString();
  }

  private static int memberLength(String[] entries, int pair) {
    return entries[2 * pair].length() + 1 + entries[2 * pair + 1].length();
  }
}
