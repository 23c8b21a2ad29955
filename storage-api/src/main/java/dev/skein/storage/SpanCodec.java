package dev.skein.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of a batch of spans: what the ingest log holds and what stores may keep.
 * Strings are written once per batch and referred to by number after that, so a batch of spans from
 * one service repeats no service name, attribute key or common value. Numbers are varints; start
 * times are deltas from the previous span's.
 *
 * <p>{@link #decode} checks every length against the input and throws {@link
 * IllegalArgumentException} naming the problem; it never reads out of bounds.
 */
public final class SpanCodec {
  private static final int VERSION = 1;

  private static final int VALUE_STRING = 0;
  private static final int VALUE_TRUE = 1;
  private static final int VALUE_FALSE = 2;
  private static final int VALUE_LONG = 3;
  private static final int VALUE_DOUBLE = 4;
  private static final int VALUE_LIST = 5;

  private static final Span.Kind[] KINDS = Span.Kind.values();
  private static final Span.Status[] STATUSES = Span.Status.values();

  private SpanCodec() {}

  /** Encodes the spans in order. */
  public static byte[] encode(List<Span> spans) {
    Writer out = new Writer();
    out.varint(VERSION);
    out.varint(spans.size());
    long previousStart = 0;
    for (Span span : spans) {
      int header = span.kind().ordinal() | (span.status().ordinal() << 3);
      if (!span.isRoot()) {
        header |= 1 << 5;
      }
      out.varint(header);
      out.fixed64(span.traceId().high());
      out.fixed64(span.traceId().low());
      out.fixed64(span.spanId());
      if (!span.isRoot()) {
        out.fixed64(span.parentSpanId());
      }
      out.string(span.service());
      out.string(span.name());
      out.signedVarint(span.startEpochNanos() - previousStart);
      previousStart = span.startEpochNanos();
      out.varint(span.durationNanos());
      out.string(span.statusMessage());
      out.attributes(span.attributes());
      out.attributes(span.resource());
      out.string(span.scopeName());
      out.string(span.scopeVersion());
      out.string(span.traceState());
      out.varint(span.flags() & 0xFFFFFFFFL);
      out.varint(span.events().size());
      for (SpanEvent event : span.events()) {
        out.signedVarint(event.epochNanos() - span.startEpochNanos());
        out.string(event.name());
        out.attributes(event.attributes());
      }
      out.varint(span.links().size());
      for (SpanLink link : span.links()) {
        out.fixed64(link.traceId().high());
        out.fixed64(link.traceId().low());
        out.fixed64(link.spanId());
        out.string(link.traceState());
        out.attributes(link.attributes());
      }
    }
    return out.toByteArray();
  }

  /** Decodes a whole array written by {@link #encode}. */
  public static List<Span> decode(byte[] bytes) {
    return decode(bytes, 0, bytes.length);
  }

  /**
   * Decodes {@code length} bytes from {@code offset}.
   *
   * @throws IllegalArgumentException if they are not a span batch this version wrote
   */
  public static List<Span> decode(byte[] bytes, int offset, int length) {
    Reader in = new Reader(bytes, offset, length);
    int version = in.intVarint();
    if (version != VERSION) {
      throw new IllegalArgumentException("span batch has unknown version " + version);
    }
    int count = in.count(20);
    List<Span> spans = new ArrayList<>(count);
    long previousStart = 0;
    for (int i = 0; i < count; i++) {
      int header = in.intVarint();
      int kind = header & 7;
      int status = (header >>> 3) & 3;
      if (kind >= KINDS.length || status >= STATUSES.length || header >>> 6 != 0) {
        throw new IllegalArgumentException("span batch has a bad span header " + header);
      }
      Span.Builder span = Span.builder().kind(KINDS[kind]);
      long high = in.fixed64();
      long low = in.fixed64();
      if (high == 0 && low == 0) {
        throw new IllegalArgumentException("span batch holds a zero trace id");
      }
      span.traceId(new TraceId(high, low)).spanId(in.fixed64());
      if ((header & (1 << 5)) != 0) {
        span.parentSpanId(in.fixed64());
      }
      span.service(in.string()).name(in.string());
      long start = previousStart + in.signedVarint();
      previousStart = start;
      span.startEpochNanos(start).durationNanos(in.varint());
      span.status(STATUSES[status], in.string());
      for (Attribute attribute : in.attributes()) {
        span.addAttribute(attribute);
      }
      for (Attribute attribute : in.attributes()) {
        span.addResourceAttribute(attribute);
      }
      span.scope(in.string(), in.string()).traceState(in.string()).flags((int) in.varint());
      int events = in.count(3);
      for (int e = 0; e < events; e++) {
        long time = start + in.signedVarint();
        span.addEvent(new SpanEvent(time, in.string(), in.attributes()));
      }
      int links = in.count(26);
      for (int l = 0; l < links; l++) {
        long linkHigh = in.fixed64();
        long linkLow = in.fixed64();
        if (linkHigh == 0 && linkLow == 0) {
          throw new IllegalArgumentException("span batch holds a link with a zero trace id");
        }
        span.addLink(
            new SpanLink(
                new TraceId(linkHigh, linkLow), in.fixed64(), in.string(), in.attributes()));
      }
      spans.add(span.build());
    }
    if (in.position != in.end) {
      throw new IllegalArgumentException(
          "span batch has " + (in.end - in.position) + " bytes after its last span");
    }
    return spans;
  }

  private static final class Writer {
    private byte[] buffer = new byte[512];
    private int size;
    private final Map<String, Integer> strings = new HashMap<>();

    void varint(long value) {
      ensure(10);
      while ((value & ~0x7FL) != 0) {
        buffer[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      buffer[size++] = (byte) value;
    }

    void signedVarint(long value) {
      varint((value << 1) ^ (value >> 63));
    }

    void fixed64(long value) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        buffer[size++] = (byte) (value >>> (8 * i));
      }
    }

    /** 0 then the text for a string not seen in this batch, else its number + 1. */
    void string(String value) {
      Integer index = strings.get(value);
      if (index != null) {
        varint(index + 1L);
        return;
      }
      strings.put(value, strings.size());
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      varint(0);
      varint(utf8.length);
      ensure(utf8.length);
      System.arraycopy(utf8, 0, buffer, size, utf8.length);
      size += utf8.length;
    }

    void attributes(List<Attribute> attributes) {
      varint(attributes.size());
      for (Attribute attribute : attributes) {
        string(attribute.key());
        value(attribute.value());
      }
    }

    private void value(Object value) {
      if (value instanceof String s) {
        varint(VALUE_STRING);
        string(s);
      } else if (value instanceof Boolean b) {
        varint(b ? VALUE_TRUE : VALUE_FALSE);
      } else if (value instanceof Long l) {
        varint(VALUE_LONG);
        signedVarint(l);
      } else if (value instanceof Double d) {
        varint(VALUE_DOUBLE);
        fixed64(Double.doubleToRawLongBits(d));
      } else if (value instanceof List<?> list) {
        varint(VALUE_LIST);
        varint(list.size());
        for (Object element : list) {
          value(element);
        }
      } else {
        throw new IllegalArgumentException("cannot encode a " + value.getClass().getName());
      }
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buffer, size);
    }
  }

  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int end;
    private final List<String> strings = new ArrayList<>();

    Reader(byte[] bytes, int offset, int length) {
      if (offset < 0 || length < 0 || offset > bytes.length - length) {
        throw new IllegalArgumentException("span batch bounds outside the array");
      }
      this.bytes = bytes;
      this.position = offset;
      this.end = offset + length;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IllegalArgumentException("span batch ends inside a number");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("span batch has a number longer than 10 bytes");
    }

    int intVarint() {
      long value = varint();
      if (value < 0 || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("span batch has an out-of-range count " + value);
      }
      return (int) value;
    }

    /** A count of items that each take at least {@code minBytes}: checked against what is left. */
    int count(int minBytes) {
      int count = intVarint();
      if ((long) count * minBytes > end - position) {
        throw new IllegalArgumentException(
            "span batch claims " + count + " items in " + (end - position) + " bytes");
      }
      return count;
    }

    long signedVarint() {
      long raw = varint();
      return (raw >>> 1) ^ -(raw & 1);
    }

    long fixed64() {
      if (end - position < 8) {
        throw new IllegalArgumentException("span batch ends inside an id");
      }
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value |= (bytes[position++] & 0xFFL) << (8 * i);
      }
      return value;
    }

    String string() {
      int index = intVarint();
      if (index > 0) {
        if (index > strings.size()) {
          throw new IllegalArgumentException("span batch refers to unknown string " + index);
        }
        return strings.get(index - 1);
      }
      int length = intVarint();
      if (length > end - position) {
        throw new IllegalArgumentException("span batch ends inside a string");
      }
      String value = new String(bytes, position, length, StandardCharsets.UTF_8);
      position += length;
      strings.add(value);
      return value;
    }

    List<Attribute> attributes() {
      int count = count(2);
      if (count == 0) {
        return List.of();
      }
      List<Attribute> attributes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String key = string();
        attributes.add(new Attribute(key, value(true)));
      }
      return attributes;
    }

    private Object value(boolean listAllowed) {
      int type = intVarint();
      switch (type) {
        case VALUE_STRING:
          return string();
        case VALUE_TRUE:
          return Boolean.TRUE;
        case VALUE_FALSE:
          return Boolean.FALSE;
        case VALUE_LONG:
          return signedVarint();
        case VALUE_DOUBLE:
          return Double.longBitsToDouble(fixed64());
        case VALUE_LIST:
          if (!listAllowed) {
            throw new IllegalArgumentException("span batch nests a list in a list");
          }
          int size = count(1);
          List<Object> list = new ArrayList<>(size);
          for (int i = 0; i < size; i++) {
            list.add(value(false));
          }
          return List.copyOf(list);
        default:
          throw new IllegalArgumentException("span batch has unknown value type " + type);
      }
    }
  }
}
