package dev.skein.server.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes an OTLP {@code ExportTraceServiceRequest} in protobuf straight from the request bytes,
 * with protobuf-java's {@link CodedInputStream} and no generated message classes: ids are read in
 * place, repeated strings come from a {@link StringTable}, and each span goes directly into its
 * {@link Span.Builder}.
 *
 * <p>Fields may come in any order, as protobuf allows: a {@code ResourceSpans} or {@code
 * ScopeSpans} is read in two passes, first for its resource or scope, then for its spans. Unknown
 * fields are skipped; a field repeated where one is expected keeps its last value. Invalid UTF-8 in
 * strings becomes U+FFFD rather than failing the request.
 */
public final class OtlpProtobufDecoder {
  // Tags: field number << 3 | wire type.
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int REQUEST_RESOURCE_SPANS = 1 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_SPANS_RESOURCE = 1 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2 << 3 | LENGTH_DELIMITED;
  private static final int RESOURCE_ATTRIBUTES = 1 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_SPANS_SCOPE = 1 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_SPANS_SPANS = 2 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_NAME = 1 << 3 | LENGTH_DELIMITED;
  private static final int SCOPE_VERSION = 2 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_SPAN_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TRACE_STATE = 3 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_PARENT_SPAN_ID = 4 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_NAME = 5 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_KIND = 6 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int SPAN_START = 7 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int SPAN_END = 8 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int SPAN_ATTRIBUTES = 9 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_EVENTS = 11 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_LINKS = 13 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_STATUS = 15 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_FLAGS = 16 << 3 | WireFormat.WIRETYPE_FIXED32;
  private static final int EVENT_TIME = 1 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int EVENT_NAME = 2 << 3 | LENGTH_DELIMITED;
  private static final int EVENT_ATTRIBUTES = 3 << 3 | LENGTH_DELIMITED;
  private static final int LINK_TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final int LINK_SPAN_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final int LINK_TRACE_STATE = 3 << 3 | LENGTH_DELIMITED;
  private static final int LINK_ATTRIBUTES = 4 << 3 | LENGTH_DELIMITED;
  private static final int STATUS_MESSAGE = 2 << 3 | LENGTH_DELIMITED;
  private static final int STATUS_CODE = 3 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int KEY_VALUE_KEY = 1 << 3 | LENGTH_DELIMITED;
  private static final int KEY_VALUE_VALUE = 2 << 3 | LENGTH_DELIMITED;
  private static final int ANY_STRING = 1 << 3 | LENGTH_DELIMITED;
  private static final int ANY_BOOL = 2 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int ANY_INT = 3 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int ANY_DOUBLE = 4 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int ANY_ARRAY = 5 << 3 | LENGTH_DELIMITED;
  private static final int ANY_KVLIST = 6 << 3 | LENGTH_DELIMITED;
  private static final int ANY_BYTES = 7 << 3 | LENGTH_DELIMITED;
  private static final int LIST_VALUES = 1 << 3 | LENGTH_DELIMITED;

  static final Span.Kind[] KINDS = Span.Kind.values();
  static final Span.Status[] STATUSES = Span.Status.values();

  private OtlpProtobufDecoder() {}

  /** Decodes a whole request body. */
  public static DecodedSpans decode(byte[] body, int maxSpans) {
    return decode(body, 0, body.length, maxSpans);
  }

  /**
   * Decodes {@code length} bytes of {@code body} from {@code offset}.
   *
   * @throws MalformedRequestException if they are not a protobuf {@code ExportTraceServiceRequest}
   * @throws SpanLimitExceededException if they hold more than {@code maxSpans} spans
   */
  public static DecodedSpans decode(byte[] body, int offset, int length, int maxSpans) {
    Objects.checkFromIndexSize(offset, length, body.length);
    Reader reader = new Reader(body, offset + length, maxSpans);
    try {
      reader.request(offset, length);
    } catch (InvalidProtocolBufferException e) {
      throw reader.malformed(shorten(e.getMessage()));
    } catch (IOException e) {
      throw reader.malformed(e.toString());
    }
    return reader.collector.result();
  }

  /** Skips an unknown field; a stray end-group tag means the input is not a message. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("unexpected end-group tag " + tag);
    }
  }

  private static String shorten(String message) {
    if (message == null) {
      return "invalid protobuf";
    }
    int stop = message.indexOf(". ");
    return stop > 0 ? message.substring(0, stop) : message;
  }

  /** The state of one decode; not shared between threads. */
  private static final class Reader {
    private final byte[] bytes;
    private final int end;
    private final SpanCollector collector;
    private final StringTable names = StringTable.names();
    private final StringTable values = StringTable.values();

    // Where we are, for messages.
    private int resourceIndex = -1;
    private int scopeIndex = -1;
    private int spanIndex = -1;
    private CodedInputStream current;

    // The span being read: id fields, validated once the span's last field is in.
    private int traceIdLength;
    private long traceHigh;
    private long traceLow;
    private int spanIdLength;
    private long spanId;
    private int parentLength;
    private long parentId;
    private int statusCode;
    private String statusMessage;

    Reader(byte[] bytes, int end, int maxSpans) {
      this.bytes = bytes;
      this.end = end;
      this.collector = new SpanCollector(maxSpans);
    }

    /** A stream over {@code length} bytes at {@code start} whose positions are array indexes. */
    private CodedInputStream open(int start, int length) throws IOException {
      CodedInputStream in = CodedInputStream.newInstance(bytes, 0, end);
      in.skipRawBytes(start);
      in.pushLimit(length);
      current = in;
      return in;
    }

    private static int position(CodedInputStream in) {
      return in.getTotalBytesRead();
    }

    /** Reads a length prefix, skips that many bytes and returns where they start. */
    private static int skipDelimited(CodedInputStream in) throws IOException {
      int length = in.readRawVarint32();
      int start = position(in);
      in.skipRawBytes(length);
      return start;
    }

    void request(int offset, int length) throws IOException {
      CodedInputStream in = open(offset, length);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == REQUEST_RESOURCE_SPANS) {
          resourceIndex++;
          scopeIndex = -1;
          spanIndex = -1;
          int start = skipDelimited(in);
          resourceSpans(start, position(in) - start);
          current = in;
        } else {
          skip(in, tag);
        }
      }
    }

    private void resourceSpans(int start, int length) throws IOException {
      String service = null;
      List<Attribute> resource = new ArrayList<>();
      CodedInputStream in = open(start, length);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == RESOURCE_SPANS_RESOURCE) {
          int limit = in.pushLimit(in.readRawVarint32());
          int field;
          while ((field = in.readTag()) != 0) {
            if (field == RESOURCE_ATTRIBUTES) {
              Attribute attribute = keyValue(in);
              if (attribute == null) {
                continue;
              }
              if (attribute.key().equals(Span.SERVICE_NAME)
                  && attribute.value() instanceof String s) {
                service = s;
              } else {
                resource.add(attribute);
              }
            } else {
              skip(in, field);
            }
          }
          in.popLimit(limit);
        } else {
          skip(in, tag);
        }
      }
      Resource context =
          new Resource(
              service == null || service.isEmpty() ? "unknown_service" : service, resource);

      in = open(start, length);
      while ((tag = in.readTag()) != 0) {
        if (tag == RESOURCE_SPANS_SCOPE_SPANS) {
          scopeIndex++;
          spanIndex = -1;
          int scopeStart = skipDelimited(in);
          scopeSpans(scopeStart, position(in) - scopeStart, context);
          current = in;
        } else {
          skip(in, tag);
        }
      }
    }

    private void scopeSpans(int start, int length, Resource resource) throws IOException {
      String scopeName = "";
      String scopeVersion = "";
      CodedInputStream in = open(start, length);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == SCOPE_SPANS_SCOPE) {
          int limit = in.pushLimit(in.readRawVarint32());
          int field;
          while ((field = in.readTag()) != 0) {
            if (field == SCOPE_NAME) {
              scopeName = string(in, names);
            } else if (field == SCOPE_VERSION) {
              scopeVersion = string(in, names);
            } else {
              skip(in, field);
            }
          }
          in.popLimit(limit);
        } else {
          skip(in, tag);
        }
      }

      in = open(start, length);
      while ((tag = in.readTag()) != 0) {
        if (tag == SCOPE_SPANS_SPANS) {
          spanIndex++;
          collector.countSpan();
          int limit = in.pushLimit(in.readRawVarint32());
          span(in, resource, scopeName, scopeVersion);
          in.popLimit(limit);
        } else {
          skip(in, tag);
        }
      }
    }

    private void span(CodedInputStream in, Resource resource, String scopeName, String scopeVersion)
        throws IOException {
      Span.Builder span = Span.builder();
      traceIdLength = 0;
      spanIdLength = 0;
      parentLength = 0;
      parentId = 0;
      statusCode = 0;
      statusMessage = "";
      long start = 0;
      long end = 0;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case SPAN_TRACE_ID -> {
            int at = skipDelimited(in);
            traceIdLength = position(in) - at;
            if (traceIdLength == 16) {
              traceHigh = Ids.longAt(bytes, at);
              traceLow = Ids.longAt(bytes, at + 8);
            }
          }
          case SPAN_SPAN_ID -> {
            int at = skipDelimited(in);
            spanIdLength = position(in) - at;
            if (spanIdLength == 8) {
              spanId = Ids.longAt(bytes, at);
            }
          }
          case SPAN_PARENT_SPAN_ID -> {
            int at = skipDelimited(in);
            parentLength = position(in) - at;
            parentId = parentLength == 8 ? Ids.longAt(bytes, at) : 0;
          }
          case SPAN_TRACE_STATE -> span.traceState(string(in, values));
          case SPAN_NAME -> span.name(string(in, names));
          case SPAN_KIND -> {
            int kind = in.readEnum();
            span.kind(kind >= 0 && kind < KINDS.length ? KINDS[kind] : Span.Kind.UNSPECIFIED);
          }
          case SPAN_START -> start = in.readFixed64();
          case SPAN_END -> end = in.readFixed64();
          case SPAN_ATTRIBUTES -> {
            Attribute attribute = keyValue(in);
            if (attribute != null) {
              span.addAttribute(attribute);
            }
          }
          case SPAN_EVENTS -> span.addEvent(event(in));
          case SPAN_LINKS -> {
            SpanLink link = link(in);
            if (link != null) {
              span.addLink(link);
            }
          }
          case SPAN_STATUS -> status(in);
          case SPAN_FLAGS -> span.flags(in.readFixed32());
          default -> skip(in, tag);
        }
      }

      String invalid = invalidIds();
      if (invalid == null) {
        invalid = Spans.invalidTimes(start, end);
      }
      if (invalid != null) {
        collector.reject(this::location, invalid);
        return;
      }
      span.traceId(new TraceId(traceHigh, traceLow))
          .spanId(spanId)
          .parentSpanId(parentId)
          .service(resource.service())
          .scope(scopeName, scopeVersion)
          .startEpochNanos(start)
          .durationNanos(end - start)
          .status(STATUSES[statusCode], statusMessage);
      for (Attribute attribute : resource.attributes()) {
        span.addResourceAttribute(attribute);
      }
      Spans.build(span, collector, this::location);
    }

    /** Why the span's ids make it invalid, or null if they are fine. */
    private String invalidIds() {
      if (traceIdLength != 16) {
        return "trace id must be 16 bytes, got " + traceIdLength;
      }
      if (traceHigh == 0 && traceLow == 0) {
        return "trace id is all zeros";
      }
      if (spanIdLength != 8) {
        return "span id must be 8 bytes, got " + spanIdLength;
      }
      if (spanId == 0) {
        return "span id is all zeros";
      }
      if (parentLength != 0 && parentLength != 8) {
        return "parent span id must be empty or 8 bytes, got " + parentLength;
      }
      if (parentId == spanId) {
        return "span is its own parent";
      }
      return null;
    }

    private void status(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == STATUS_MESSAGE) {
          statusMessage = string(in, values);
        } else if (tag == STATUS_CODE) {
          int code = in.readEnum();
          statusCode = code >= 0 && code < STATUSES.length ? code : 0;
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
    }

    private SpanEvent event(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      long time = 0;
      String name = "";
      List<Attribute> attributes = List.of();
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == EVENT_TIME) {
          time = in.readFixed64();
        } else if (tag == EVENT_NAME) {
          name = string(in, names);
        } else if (tag == EVENT_ATTRIBUTES) {
          Attribute attribute = keyValue(in);
          if (attribute != null) {
            if (attributes.isEmpty()) {
              attributes = new ArrayList<>();
            }
            attributes.add(attribute);
          }
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
      return new SpanEvent(time, name, attributes);
    }

    /** A link, or null if its ids are invalid (the span keeps its other links). */
    private SpanLink link(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      long high = 0;
      long low = 0;
      long linkedSpan = 0;
      String traceState = "";
      List<Attribute> attributes = List.of();
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case LINK_TRACE_ID -> {
            int at = skipDelimited(in);
            boolean valid = position(in) - at == 16;
            high = valid ? Ids.longAt(bytes, at) : 0;
            low = valid ? Ids.longAt(bytes, at + 8) : 0;
          }
          case LINK_SPAN_ID -> {
            int at = skipDelimited(in);
            linkedSpan = position(in) - at == 8 ? Ids.longAt(bytes, at) : 0;
          }
          case LINK_TRACE_STATE -> traceState = string(in, values);
          case LINK_ATTRIBUTES -> {
            Attribute attribute = keyValue(in);
            if (attribute != null) {
              if (attributes.isEmpty()) {
                attributes = new ArrayList<>();
              }
              attributes.add(attribute);
            }
          }
          default -> skip(in, tag);
        }
      }
      in.popLimit(limit);
      if ((high == 0 && low == 0) || linkedSpan == 0) {
        return null;
      }
      return new SpanLink(new TraceId(high, low), linkedSpan, traceState, attributes);
    }

    /** A {@code KeyValue}, or null when its value is empty (the attribute is dropped). */
    private Attribute keyValue(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      String key = "";
      Object raw = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == KEY_VALUE_KEY) {
          key = string(in, names);
        } else if (tag == KEY_VALUE_VALUE) {
          raw = anyValue(in, 0, raw);
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
      Object value = AnyValues.toAttributeValue(raw);
      return value == null ? null : new Attribute(key, value);
    }

    /**
     * A raw value as {@link AnyValues} describes, or null when no value is set. {@code previous} is
     * the value an earlier occurrence of the same field gave: protobuf merges a repeated message
     * field, so arrays and kvlists that follow one another are joined and an empty one changes
     * nothing.
     */
    @SuppressWarnings("unchecked")
    private Object anyValue(CodedInputStream in, int depth, Object previous) throws IOException {
      if (depth > AnyValues.MAX_DEPTH) {
        throw malformed("attribute values nest deeper than " + AnyValues.MAX_DEPTH + " levels");
      }
      int limit = in.pushLimit(in.readRawVarint32());
      Object value = previous;
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case ANY_STRING -> value = string(in, values);
          case ANY_BOOL -> value = in.readBool();
          case ANY_INT -> value = in.readInt64();
          case ANY_DOUBLE -> value = in.readDouble();
          case ANY_BYTES -> {
            int at = skipDelimited(in);
            value = AnyValues.base64(bytes, at, position(in) - at);
          }
          case ANY_ARRAY -> {
            int arrayLimit = in.pushLimit(in.readRawVarint32());
            ArrayList<Object> elements =
                value instanceof ArrayList<?> earlier
                    ? (ArrayList<Object>) earlier
                    : new ArrayList<>();
            int field;
            while ((field = in.readTag()) != 0) {
              if (field == LIST_VALUES) {
                elements.add(anyValue(in, depth + 1, null));
              } else {
                skip(in, field);
              }
            }
            in.popLimit(arrayLimit);
            value = elements;
          }
          case ANY_KVLIST -> {
            int listLimit = in.pushLimit(in.readRawVarint32());
            AnyValues.KeyValues list =
                value instanceof AnyValues.KeyValues earlier
                    ? earlier
                    : new AnyValues.KeyValues(new ArrayList<>(), new ArrayList<>());
            List<String> keys = list.keys();
            List<Object> listValues = list.values();
            int field;
            while ((field = in.readTag()) != 0) {
              if (field == LIST_VALUES) {
                nestedKeyValue(in, depth + 1, keys, listValues);
              } else {
                skip(in, field);
              }
            }
            in.popLimit(listLimit);
            value = list;
          }
          default -> skip(in, tag);
        }
      }
      in.popLimit(limit);
      return value;
    }

    private void nestedKeyValue(
        CodedInputStream in, int depth, List<String> keys, List<Object> listValues)
        throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      String key = "";
      Object raw = null;
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == KEY_VALUE_KEY) {
          key = string(in, names);
        } else if (tag == KEY_VALUE_VALUE) {
          raw = anyValue(in, depth, raw);
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
      keys.add(key);
      listValues.add(raw);
    }

    private String string(CodedInputStream in, StringTable table) throws IOException {
      int at = skipDelimited(in);
      return table.utf8(bytes, at, position(in) - at);
    }

    String location() {
      StringBuilder where = new StringBuilder();
      if (resourceIndex >= 0) {
        where.append("resourceSpans[").append(resourceIndex).append(']');
      }
      if (scopeIndex >= 0) {
        where.append(".scopeSpans[").append(scopeIndex).append(']');
      }
      if (spanIndex >= 0) {
        where.append(".spans[").append(spanIndex).append(']');
      }
      return where.length() == 0 ? "request" : where.toString();
    }

    MalformedRequestException malformed(String problem) {
      String at = current == null ? "" : " at byte " + position(current);
      return new MalformedRequestException(
          "malformed OTLP protobuf in " + location() + at + ": " + problem);
    }
  }

  /** What a resource gives each of its spans. */
  private record Resource(String service, List<Attribute> attributes) {}
}
