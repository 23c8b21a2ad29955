package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.StoreException;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stored form of a chunk: spans of one trace in one partition written together. The trace id is
 * in the key; spans go in start order, so a start is a small delta from the previous one and a
 * parent written earlier in the chunk is a one-byte index. A span with a {@link Shape} is its
 * shape's number and what varies; one without (the dictionary is full) is written in full, with
 * recurring strings as dictionary numbers where it has them.
 *
 * <pre>
 * chunk     = count, span*
 * span      = shaped | full
 * shaped    = header(1: kind bits 7 | parent form 2 | has extras 1), span id (8),
 *             parent (index varint | id 8 | nothing), shape number, start delta (zigzag),
 *             duration, the value of each variable attribute of the shape, [extras]
 * full      = header(1: kind 3 bits | status 2 | parent form 2 | has extras 1), span id (8),
 *             parent, service ref, name ref, start delta, duration, resource, scope name ref,
 *             scope version ref, flags, attributes, [extras]
 * extras    = status message, trace state, events, links
 * ref       = 0, length, UTF-8 | dictionary number + 1
 * resource  = 0 (none) | 1, attributes | dictionary number + 2
 * attribute = key ref, value;  value = 0 ref | 1 true | 2 false | 3 zigzag | 4 double | 5 count, value*
 * </pre>
 */
final class ChunkCodec {
  private static final int VALUE_STRING = 0;
  private static final int VALUE_TRUE = 1;
  private static final int VALUE_FALSE = 2;
  private static final int VALUE_LONG = 3;
  private static final int VALUE_DOUBLE = 4;
  private static final int VALUE_LIST = 5;

  private static final int PARENT_NONE = 0;
  private static final int PARENT_INDEX = 1;
  private static final int PARENT_ID = 2;

  /** A kind no span has: marks a shaped span's header. */
  private static final int SHAPED = 7;

  private static final Span.Kind[] KINDS = Span.Kind.values();
  private static final Span.Status[] STATUSES = Span.Status.values();

  private ChunkCodec() {}

  /**
   * Encodes spans of one trace, sorted by start, with distinct span ids; {@code shapes[i]} is the
   * shape of span i, or null to write it in full.
   */
  static void encode(
      List<Span> spans, Shape[] shapes, long baseNanos, Dictionary dictionary, ByteWriter out) {
    out.varint(spans.size());
    Map<Long, Integer> indexOf = spans.size() > 16 ? new HashMap<>() : null;
    long previousStart = baseNanos;
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      int parentIndex = span.isRoot() ? -1 : indexOf(spans, i, span.parentSpanId(), indexOf);
      int parentForm = span.isRoot() ? PARENT_NONE : parentIndex >= 0 ? PARENT_INDEX : PARENT_ID;
      boolean extras =
          !span.statusMessage().isEmpty()
              || !span.traceState().isEmpty()
              || !span.events().isEmpty()
              || !span.links().isEmpty();
      Shape shape = shapes[i];
      int kindBits = shape == null ? span.kind().ordinal() | span.status().ordinal() << 3 : SHAPED;
      out.u8(kindBits | parentForm << 5 | (extras ? 1 << 7 : 0));
      out.fixed64(span.spanId());
      if (parentForm == PARENT_INDEX) {
        out.varint(parentIndex);
      } else if (parentForm == PARENT_ID) {
        out.fixed64(span.parentSpanId());
      }
      if (indexOf != null) {
        indexOf.putIfAbsent(span.spanId(), i);
      }
      if (shape != null) {
        out.varint(shape.id);
        out.zigzag(span.startEpochNanos() - previousStart);
        previousStart = span.startEpochNanos();
        out.varint(span.durationNanos());
        writeVariables(out, span.attributes(), shape, dictionary);
      } else {
        ref(out, dictionary.string(span.service()), span.service());
        ref(out, dictionary.string(span.name()), span.name());
        out.zigzag(span.startEpochNanos() - previousStart);
        previousStart = span.startEpochNanos();
        out.varint(span.durationNanos());
        writeResource(out, span.resource(), dictionary);
        ref(out, dictionary.string(span.scopeName()), span.scopeName());
        ref(out, dictionary.string(span.scopeVersion()), span.scopeVersion());
        out.varint(span.flags() & 0xFFFFFFFFL);
        writeAttributes(out, span.attributes(), dictionary);
      }
      if (extras) {
        out.string(span.statusMessage());
        out.string(span.traceState());
        out.varint(span.events().size());
        for (SpanEvent event : span.events()) {
          out.zigzag(event.epochNanos() - span.startEpochNanos());
          ref(out, dictionary.string(event.name()), event.name());
          writeAttributes(out, event.attributes(), dictionary);
        }
        out.varint(span.links().size());
        for (SpanLink link : span.links()) {
          out.fixed64(link.traceId().high());
          out.fixed64(link.traceId().low());
          out.fixed64(link.spanId());
          out.string(link.traceState());
          writeAttributes(out, link.attributes(), dictionary);
        }
      }
    }
  }

  private static int indexOf(List<Span> spans, int before, long spanId, Map<Long, Integer> index) {
    if (index != null) {
      Integer found = index.get(spanId);
      return found == null ? -1 : found;
    }
    for (int i = before - 1; i >= 0; i--) {
      if (spans.get(i).spanId() == spanId) {
        return i;
      }
    }
    return -1;
  }

  /** Decodes a chunk, passing each span on as it is read. */
  static void decode(
      byte[] bytes, TraceId traceId, long baseNanos, Dictionary dictionary, Consumer<Span> sink) {
    ByteReader in = new ByteReader(bytes);
    int count = in.intVarint();
    long[] spanIds = new long[Math.min(count, bytes.length / 9 + 1)];
    long previousStart = baseNanos;
    for (int i = 0; i < count; i++) {
      int header = in.u8();
      int kind = header & 7;
      boolean shaped = kind == SHAPED;
      if ((!shaped && kind >= KINDS.length) || ((header >>> 3) & 3) >= STATUSES.length) {
        throw ByteReader.corrupt("has a bad span header " + header);
      }
      long spanId = in.fixed64();
      if (i >= spanIds.length) {
        throw ByteReader.corrupt("claims more spans than it holds");
      }
      spanIds[i] = spanId;
      long parentSpanId;
      switch ((header >>> 5) & 3) {
        case PARENT_NONE -> parentSpanId = 0;
        case PARENT_INDEX -> {
          int index = in.intVarint();
          if (index >= i) {
            throw ByteReader.corrupt("names a parent after its child");
          }
          parentSpanId = spanIds[index];
        }
        case PARENT_ID -> parentSpanId = in.fixed64();
        default -> throw ByteReader.corrupt("has a bad parent form");
      }
      Span.Builder span;
      Span.Status status;
      long start;
      if (shaped) {
        Shape shape = dictionary.shapeAt(in.intVarint());
        span = shape.builder();
        status = shape.status;
        start = previousStart + in.zigzag();
        span.startEpochNanos(start).durationNanos(in.varint());
        readVariables(in, shape, dictionary, span);
      } else {
        span = Span.builder().kind(KINDS[kind]);
        status = STATUSES[(header >>> 3) & 3];
        span.service(readRef(in, dictionary)).name(readRef(in, dictionary));
        start = previousStart + in.zigzag();
        span.startEpochNanos(start).durationNanos(in.varint());
        for (Attribute attribute : readResource(in, dictionary)) {
          span.addResourceAttribute(attribute);
        }
        span.scope(readRef(in, dictionary), readRef(in, dictionary));
        span.flags((int) in.varint());
        readAttributes(in, dictionary, span::addAttribute);
      }
      previousStart = start;
      span.traceId(traceId).spanId(spanId).parentSpanId(parentSpanId);
      String statusMessage = "";
      if ((header & 0x80) != 0) {
        statusMessage = in.string();
        span.traceState(in.string());
        int events = in.intVarint();
        for (int e = 0; e < events; e++) {
          long time = start + in.zigzag();
          String name = readRef(in, dictionary);
          List<Attribute> attributes = new ArrayList<>();
          readAttributes(in, dictionary, attributes::add);
          span.addEvent(new SpanEvent(time, name, attributes));
        }
        int links = in.intVarint();
        for (int l = 0; l < links; l++) {
          long high = in.fixed64();
          long low = in.fixed64();
          if (high == 0 && low == 0) {
            throw ByteReader.corrupt("holds a link with a zero trace id");
          }
          long linkSpanId = in.fixed64();
          String traceState = in.string();
          List<Attribute> attributes = new ArrayList<>();
          readAttributes(in, dictionary, attributes::add);
          span.addLink(new SpanLink(new TraceId(high, low), linkSpanId, traceState, attributes));
        }
      }
      span.status(status, statusMessage);
      try {
        sink.accept(span.build());
      } catch (IllegalArgumentException e) {
        throw new StoreException("stored data is corrupt: " + e.getMessage(), e);
      }
    }
    if (in.hasMore()) {
      throw ByteReader.corrupt("has bytes after its last span");
    }
  }

  /** The values of the shape's variable attributes, each as its slot's type says. */
  private static void writeVariables(
      ByteWriter out, List<Attribute> attributes, Shape shape, Dictionary dictionary) {
    for (int i = 0; i < shape.types.length; i++) {
      Object value = attributes.get(i).value();
      switch (shape.types[i]) {
        case 0 -> {}
        case Shape.VARIABLE_STRING -> {
          String text = (String) value;
          ref(out, dictionary.value(shape.keys[i], text), text);
        }
        case Shape.VARIABLE_LONG -> out.zigzag((Long) value);
        case Shape.VARIABLE_DOUBLE -> out.fixed64(Double.doubleToRawLongBits((Double) value));
        case Shape.VARIABLE_BOOLEAN -> out.u8((Boolean) value ? 1 : 0);
        default -> {
          List<?> list = (List<?>) value;
          out.varint(list.size());
          for (Object element : list) {
            writeValue(out, element, shape.keys[i], dictionary);
          }
        }
      }
    }
  }

  private static void readVariables(
      ByteReader in, Shape shape, Dictionary dictionary, Span.Builder span) {
    for (int i = 0; i < shape.types.length; i++) {
      Object value;
      switch (shape.types[i]) {
        case 0 -> {
          span.addAttribute(shape.constants[i]);
          continue;
        }
        case Shape.VARIABLE_STRING -> value = readRef(in, dictionary);
        case Shape.VARIABLE_LONG -> value = in.zigzag();
        case Shape.VARIABLE_DOUBLE -> value = Double.longBitsToDouble(in.fixed64());
        case Shape.VARIABLE_BOOLEAN -> value = in.u8() != 0;
        default -> {
          int size = in.intVarint();
          List<Object> list = new ArrayList<>(Math.min(size, 1024));
          for (int e = 0; e < size; e++) {
            list.add(readValue(in, dictionary, false));
          }
          value = List.copyOf(list);
        }
      }
      span.addAttribute(new Attribute(shape.keys[i], value));
    }
  }

  private static void ref(ByteWriter out, int id, String value) {
    if (id >= 0) {
      out.varint(id + 1L);
    } else {
      out.varint(0);
      out.string(value);
    }
  }

  private static String readRef(ByteReader in, Dictionary dictionary) {
    int ref = in.intVarint();
    if (ref == 0) {
      return in.string();
    }
    if (dictionary == null) {
      throw ByteReader.corrupt("refers to the dictionary from inside it");
    }
    return dictionary.stringAt(ref - 1);
  }

  private static void writeResource(
      ByteWriter out, List<Attribute> resource, Dictionary dictionary) {
    if (resource.isEmpty()) {
      out.varint(0);
      return;
    }
    int id = dictionary.resource(resource);
    if (id >= 0) {
      out.varint(id + 2L);
    } else {
      out.varint(1);
      writeInlineAttributes(out, resource);
    }
  }

  private static List<Attribute> readResource(ByteReader in, Dictionary dictionary) {
    int ref = in.intVarint();
    if (ref == 0) {
      return List.of();
    }
    return ref == 1 ? readInlineAttributes(in) : dictionary.resourceAt(ref - 2);
  }

  private static void writeAttributes(
      ByteWriter out, List<Attribute> attributes, Dictionary dictionary) {
    out.varint(attributes.size());
    for (Attribute attribute : attributes) {
      String key = attribute.key();
      ref(out, dictionary.string(key), key);
      Object value = attribute.value();
      if (value instanceof String s) {
        out.u8(VALUE_STRING);
        ref(out, dictionary.value(key, s), s);
      } else {
        writeValue(out, value, key, dictionary);
      }
    }
  }

  private static void readAttributes(
      ByteReader in, Dictionary dictionary, Consumer<Attribute> sink) {
    int count = in.intVarint();
    for (int i = 0; i < count; i++) {
      String key = readRef(in, dictionary);
      sink.accept(new Attribute(key, readValue(in, dictionary, true)));
    }
  }

  private static void writeValue(ByteWriter out, Object value, String key, Dictionary dictionary) {
    if (value instanceof String s) {
      out.u8(VALUE_STRING);
      ref(out, dictionary == null ? -1 : dictionary.value(key, s), s);
    } else if (value instanceof Boolean b) {
      out.u8(b ? VALUE_TRUE : VALUE_FALSE);
    } else if (value instanceof Long l) {
      out.u8(VALUE_LONG);
      out.zigzag(l);
    } else if (value instanceof Double d) {
      out.u8(VALUE_DOUBLE);
      out.fixed64(Double.doubleToRawLongBits(d));
    } else if (value instanceof List<?> list) {
      out.u8(VALUE_LIST);
      out.varint(list.size());
      for (Object element : list) {
        writeValue(out, element, key, dictionary);
      }
    } else {
      throw new IllegalArgumentException("cannot store a " + value.getClass().getName());
    }
  }

  private static Object readValue(ByteReader in, Dictionary dictionary, boolean listAllowed) {
    int type = in.u8();
    switch (type) {
      case VALUE_STRING:
        int ref = in.intVarint();
        if (ref == 0) {
          return in.string();
        }
        if (dictionary == null) {
          throw ByteReader.corrupt("refers to the dictionary from inside it");
        }
        return dictionary.stringAt(ref - 1);
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_LONG:
        return in.zigzag();
      case VALUE_DOUBLE:
        return Double.longBitsToDouble(in.fixed64());
      case VALUE_LIST:
        if (!listAllowed) {
          throw ByteReader.corrupt("nests a list in a list");
        }
        int size = in.intVarint();
        List<Object> list = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
          list.add(readValue(in, dictionary, false));
        }
        return List.copyOf(list);
      default:
        throw ByteReader.corrupt("has unknown value type " + type);
    }
  }

  /** Attributes with every string written out, for dictionary entries themselves. */
  static void writeInlineAttributes(ByteWriter out, List<Attribute> attributes) {
    out.varint(attributes.size());
    for (Attribute attribute : attributes) {
      ref(out, -1, attribute.key());
      writeValue(out, attribute.value(), attribute.key(), null);
    }
  }

  static List<Attribute> readInlineAttributes(ByteReader in) {
    int count = in.intVarint();
    List<Attribute> attributes = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      String key = readRef(in, null);
      attributes.add(new Attribute(key, readValue(in, null, true)));
    }
    return List.copyOf(attributes);
  }
}
