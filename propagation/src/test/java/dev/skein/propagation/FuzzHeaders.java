package dev.skein.propagation;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incoming request headers for the fuzz tests, made from fuzzer input that reads like HTTP: the
 * input is a block of {@code name: value} lines, so a seed file is a header block and a finding can
 * be read as one.
 *
 * <p>The last byte of the input is not part of the block; it picks how the carrier behaves, so the
 * fuzzer explores both shapes that real frameworks have:
 *
 * <ul>
 *   <li>bit 0 clear: {@code get} returns the first of repeated headers; set: all of them joined
 *       with {@code ","}, as some HTTP libraries do.
 *   <li>bit 1 clear: a request with repeated, case-insensitive names whose {@code getAll} returns
 *       every value; set: the same headers in a {@code Map}, read through {@link
 *       Carriers#mapGetter()}.
 * </ul>
 *
 * A seed ending in a newline (0x0a) is therefore a map with first values; in a space (0x20), a
 * request with first values.
 *
 * <p>Every carrier access is counted in {@link #reads}: the fuzz tests bound it, so a propagator
 * that reads a header again per character or per member fails even when it is fast enough.
 */
final class FuzzHeaders {

  record Header(String name, String value) {}

  /** Reads a {@link FuzzHeaders} as a request or a map, as its options say, counting each read. */
  static final TextMapGetter<FuzzHeaders> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(FuzzHeaders carrier) {
          carrier.reads++;
          return () -> new CountingIterator(carrier, carrier.keys().iterator());
        }

        @Override
        public String get(FuzzHeaders carrier, String key) {
          if (carrier == null) {
            return null;
          }
          carrier.reads++;
          return carrier.asMap ? Carriers.mapGetter().get(carrier.map, key) : carrier.first(key);
        }

        @Override
        public Iterator<String> getAll(FuzzHeaders carrier, String key) {
          if (carrier == null) {
            return Collections.emptyIterator();
          }
          carrier.reads++;
          return carrier.asMap
              ? Carriers.mapGetter().getAll(carrier.map, key)
              : carrier.values(key).iterator();
        }
      };

  private final List<Header> headers;
  private final boolean joinRepeated;
  private final boolean asMap;
  private final Map<String, String> map = new LinkedHashMap<>();

  /** Carrier accesses so far: calls to the getter, and keys iterated. */
  int reads;

  FuzzHeaders(List<Header> headers, boolean joinRepeated, boolean asMap) {
    this.headers = List.copyOf(headers);
    this.joinRepeated = joinRepeated;
    this.asMap = asMap;
    for (Header h : headers) {
      map.merge(h.name(), h.value(), (old, added) -> joinRepeated ? old + "," + added : old);
    }
  }

  static FuzzHeaders from(FuzzedDataProvider data) {
    int options = data.consumeByte();
    return parse(data.consumeRemainingAsString(), options);
  }

  /**
   * Each line is {@code name:value}; one space after the colon is dropped, as HTTP writes it.
   * {@code options} is the last byte of the input, as described above.
   */
  static FuzzHeaders parse(String block, int options) {
    boolean joinRepeated = (options & 1) != 0;
    boolean asMap = (options & 2) != 0;
    List<Header> headers = new ArrayList<>();
    for (String line : block.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        headers.add(new Header(line, ""));
        continue;
      }
      int valueStart = colon + 1;
      if (valueStart < line.length() && line.charAt(valueStart) == ' ') {
        valueStart++;
      }
      headers.add(new Header(line.substring(0, colon), line.substring(valueStart)));
    }
    return new FuzzHeaders(headers, joinRepeated, asMap);
  }

  /** A request with these headers, where {@code getAll} sees every repeat. */
  static FuzzHeaders request(List<Header> headers) {
    return new FuzzHeaders(headers, false, false);
  }

  int size() {
    return headers.size();
  }

  /** Characters in every name and value: the size of the input, for bounds on work. */
  long totalLength() {
    long total = 0;
    for (Header h : headers) {
      total += h.name().length() + h.value().length();
    }
    return total;
  }

  /** What a propagator asking for every {@code name} header sees; not counted as a read. */
  List<String> all(String name) {
    if (!asMap) {
      return values(name);
    }
    List<String> all = new ArrayList<>();
    Carriers.mapGetter().getAll(map, name).forEachRemaining(all::add);
    return all;
  }

  /** What a propagator asking for the {@code name} header sees; not counted as a read. */
  String get(String name) {
    return asMap ? Carriers.mapGetter().get(map, name) : first(name);
  }

  private Iterable<String> keys() {
    if (asMap) {
      return map.keySet();
    }
    return headers.stream().map(Header::name).distinct()::iterator;
  }

  private List<String> values(String key) {
    List<String> values = new ArrayList<>();
    if (key == null) {
      return values;
    }
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(key)) {
        values.add(h.value());
      }
    }
    return values;
  }

  private String first(String key) {
    List<String> values = values(key);
    if (values.isEmpty()) {
      return null;
    }
    return joinRepeated ? String.join(",", values) : values.get(0);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(asMap ? "map" : "request");
    out.append(joinRepeated ? ", repeats joined" : ", first of repeats");
    for (Header h : headers) {
      out.append("\n  ").append(escape(h.name())).append(": ").append(escape(h.value()));
    }
    return out.toString();
  }

  /** Long values are cut so that a failure message stays readable; the finding file is whole. */
  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length() && i < 300; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return s.length() > 300 ? out + "... (" + s.length() + " chars)" : out.toString();
  }

  private static final class CountingIterator implements Iterator<String> {
    private final FuzzHeaders carrier;
    private final Iterator<String> keys;

    CountingIterator(FuzzHeaders carrier, Iterator<String> keys) {
      this.carrier = carrier;
      this.keys = keys;
    }

    @Override
    public boolean hasNext() {
      return keys.hasNext();
    }

    @Override
    public String next() {
      carrier.reads++;
      return keys.next();
    }
  }
}
