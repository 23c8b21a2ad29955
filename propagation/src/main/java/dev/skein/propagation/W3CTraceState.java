package dev.skein.propagation;

import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A W3C {@code tracestate} that follows the Trace Context Level 2 grammar: a key may hold {@code @}
 * anywhere but first, any number of times, in up to 256 characters. The OpenTelemetry API's own
 * builder still applies the older tenant rules and drops keys such as {@code foo@}, {@code
 * foo@@bar}, {@code a@b@c} or a vendor part over 14 characters.
 *
 * <p>A state extracted from a request keeps the header as received and parses its members only when
 * someone reads or changes them, so a state passed on unchanged costs one object and is sent on
 * exactly as it came in. Changes follow the spec: a put key moves to the front, a key is never
 * present twice, at most 32 members are kept (the right-most goes), and a header longer than 512
 * characters is cut by whole members, those over 128 characters first, then from the right.
 *
 * <p>Instances are immutable. A builder that removes every member builds an empty {@code
 * W3CTraceState}, not {@link TraceState#getDefault()}, so a later {@code toBuilder()} still accepts
 * the full key grammar.
 */
public final class W3CTraceState implements TraceState {

  private static final W3CTraceState EMPTY = new W3CTraceState(null, new String[0]);

  /** The combined header as received, or null for a state made by a builder. */
  private final String raw;

  /** Key, value, key, value... in order; parsed from {@link #raw} on first use. */
  private volatile String[] entries;

  /** What {@code inject} writes, made on first use when it is not {@link #raw}. */
  private volatile String header;

  private W3CTraceState(String raw, String[] entries) {
    this.raw = raw;
    this.entries = entries;
  }

  /** A builder for a new state, starting empty, accepting every key the W3C grammar allows. */
  public static TraceStateBuilder builder() {
    return new Builder(null);
  }

  /**
   * Wraps a combined header in which {@link TracestateFormat#scan} counted at least one member; the
   * members are parsed later, if ever.
   */
  static W3CTraceState ofValidHeader(String raw) {
    return new W3CTraceState(raw, null);
  }

  /**
   * Returns the {@code tracestate} header for any state, ours or not, or "" when there is nothing
   * to send. Members of a foreign state that break the grammar are left out.
   */
  static String headerOf(TraceState state) {
    if (state instanceof W3CTraceState ours) {
      return ours.header();
    }
    String[] entries = new String[2 * TracestateFormat.MAX_MEMBERS];
    int[] pairs = new int[1];
    state.forEach(
        (key, value) -> {
          int p = pairs[0];
          if (p < TracestateFormat.MAX_MEMBERS
              && key != null
              && value != null
              && TracestateFormat.isValidKey(key)
              && TracestateFormat.isValidValue(value)) {
            entries[2 * p] = key;
            entries[2 * p + 1] = value;
            pairs[0] = p + 1;
          }
        });
    return TracestateFormat.serialize(entries, pairs[0]);
  }

  /** The header to send: the one received when it fits the length limit, else serialized once. */
  String header() {
    String raw = this.raw;
    if (raw != null && raw.length() <= TracestateFormat.MAX_HEADER_LENGTH) {
      return raw;
    }
    String header = this.header;
    if (header == null) {
      String[] entries = entries();
      header = TracestateFormat.serialize(entries, entries.length / 2);
      this.header = header;
    }
    return header;
  }

  private String[] entries() {
    String[] entries = this.entries;
    if (entries == null) {
      entries = TracestateFormat.parse(raw);
      this.entries = entries;
    }
    return entries;
  }

  @Override
  public String get(String key) {
    if (key == null) {
      return null;
    }
    String[] entries = entries();
    for (int i = 0; i < entries.length; i += 2) {
      if (entries[i].equals(key)) {
        return entries[i + 1];
      }
    }
    return null;
  }

  @Override
  public int size() {
    return entries().length / 2;
  }

  @Override
  public boolean isEmpty() {
    // A received header has a member by construction; answering without parsing keeps inject cheap.
    return raw == null && entries.length == 0;
  }

  @Override
  public void forEach(BiConsumer<String, String> consumer) {
    if (consumer == null) {
      return;
    }
    String[] entries = entries();
    for (int i = 0; i < entries.length; i += 2) {
      consumer.accept(entries[i], entries[i + 1]);
    }
  }

  @Override
  public Map<String, String> asMap() {
    String[] entries = entries();
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.length; i += 2) {
      map.put(entries[i], entries[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }

  @Override
  public TraceStateBuilder toBuilder() {
    return new Builder(this);
  }

  /** Equal to any trace state with the same members in the same order. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o instanceof W3CTraceState other) {
      return Arrays.equals(entries(), other.entries());
    }
    if (!(o instanceof TraceState other)) {
      return false;
    }
    String[] entries = entries();
    if (other.size() != entries.length / 2) {
      return false;
    }
    int[] index = new int[1];
    boolean[] same = {true};
    other.forEach(
        (key, value) -> {
          int i = index[0];
          same[0] &= i < entries.length && entries[i].equals(key) && entries[i + 1].equals(value);
          index[0] = i + 2;
        });
    return same[0];
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(entries());
  }

  @Override
  public String toString() {
    return "W3CTraceState{" + header() + "}";
  }

  /**
   * Copy-on-write: nothing is copied until the first change, and a builder whose result has the
   * same members as its origin returns the origin, so the received header is kept.
   */
  static final class Builder implements TraceStateBuilder {

    private final W3CTraceState origin;

    /** Key/value pairs, most recent first; null while unchanged from {@link #origin}. */
    private String[] entries;

    private int pairs;

    Builder(W3CTraceState origin) {
      this.origin = origin;
      if (origin == null) {
        entries = new String[2 * TracestateFormat.MAX_MEMBERS];
      }
    }

    private void copyOnWrite() {
      if (entries == null) {
        String[] current = origin.entries();
        entries = Arrays.copyOf(current, 2 * TracestateFormat.MAX_MEMBERS);
        pairs = current.length / 2;
      }
    }

    /**
     * Puts {@code key} first with {@code value}, replacing an earlier value. An invalid key or
     * value is ignored. When a 33rd member would result, the right-most member is dropped.
     */
    @Override
    public TraceStateBuilder put(String key, String value) {
      if (key == null
          || value == null
          || !TracestateFormat.isValidKey(key)
          || !TracestateFormat.isValidValue(value)) {
        return this;
      }
      copyOnWrite();
      int at = indexOf(key);
      if (at < 0) {
        // New key: everything shifts right; the last member falls off when the list is full.
        at = Math.min(pairs, TracestateFormat.MAX_MEMBERS - 1);
        if (pairs < TracestateFormat.MAX_MEMBERS) {
          pairs++;
        }
      }
      System.arraycopy(entries, 0, entries, 2, 2 * at);
      entries[0] = key;
      entries[1] = value;
      return this;
    }

    @Override
    public TraceStateBuilder remove(String key) {
      if (key == null) {
        return this;
      }
      copyOnWrite();
      int at = indexOf(key);
      if (at >= 0) {
        System.arraycopy(entries, 2 * at + 2, entries, 2 * at, 2 * (pairs - at - 1));
        pairs--;
        entries[2 * pairs] = null;
        entries[2 * pairs + 1] = null;
      }
      return this;
    }

    private int indexOf(String key) {
      for (int p = 0; p < pairs; p++) {
        if (entries[2 * p].equals(key)) {
          return p;
        }
      }
      return -1;
    }

    @Override
    public TraceState build() {
      if (entries == null) {
        return origin;
      }
      String[] result = Arrays.copyOf(entries, 2 * pairs);
      if (origin != null && Arrays.equals(result, origin.entries())) {
        return origin;
      }
      return pairs == 0 ? EMPTY : new W3CTraceState(null, result);
    }
  }
}
