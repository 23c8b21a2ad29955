package dev.skein.server.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.skein.storage.Span;
import java.io.IOException;
import java.util.Objects;

/**
 * Decodes a Zipkin {@code zipkin.proto3.ListOfSpans} (what {@code POST /api/v2/spans} takes as
 * {@code application/x-protobuf}) straight from the request bytes with {@link CodedInputStream}.
 * Trace ids are 8 or 16 bytes, span ids 8, parent ids empty or 8. An IPv4 address that is not 4
 * bytes or an IPv6 address that is not 16 is ignored. The mapping onto {@link Span} is {@link
 * ZipkinSpanBuilder}'s.
 */
public final class ZipkinProto3Decoder {
  private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int LIST_SPANS = 1 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TRACE_ID = 1 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_PARENT_ID = 2 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_ID = 3 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_KIND = 4 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int SPAN_NAME = 5 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TIMESTAMP = 6 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int SPAN_DURATION = 7 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int SPAN_LOCAL_ENDPOINT = 8 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_REMOTE_ENDPOINT = 9 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_ANNOTATIONS = 10 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_TAGS = 11 << 3 | LENGTH_DELIMITED;
  private static final int SPAN_DEBUG = 12 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int SPAN_SHARED = 13 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int ENDPOINT_SERVICE_NAME = 1 << 3 | LENGTH_DELIMITED;
  private static final int ENDPOINT_IPV4 = 2 << 3 | LENGTH_DELIMITED;
  private static final int ENDPOINT_IPV6 = 3 << 3 | LENGTH_DELIMITED;
  private static final int ENDPOINT_PORT = 4 << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int ANNOTATION_TIMESTAMP = 1 << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int ANNOTATION_VALUE = 2 << 3 | LENGTH_DELIMITED;
  private static final int ENTRY_KEY = 1 << 3 | LENGTH_DELIMITED;
  private static final int ENTRY_VALUE = 2 << 3 | LENGTH_DELIMITED;

  // zipkin.proto3.Span.Kind numbers.
  private static final Span.Kind[] KINDS = {
    Span.Kind.UNSPECIFIED,
    Span.Kind.CLIENT,
    Span.Kind.SERVER,
    Span.Kind.PRODUCER,
    Span.Kind.CONSUMER
  };

  private ZipkinProto3Decoder() {}

  /** Decodes a whole request body. */
  public static DecodedSpans decode(byte[] body, int maxSpans) {
    return decode(body, 0, body.length, maxSpans);
  }

  /**
   * Decodes {@code length} bytes of {@code body} from {@code offset}.
   *
   * @throws MalformedRequestException if they are not a protobuf {@code ListOfSpans}
   * @throws SpanLimitExceededException if they hold more than {@code maxSpans} spans
   */
  public static DecodedSpans decode(byte[] body, int offset, int length, int maxSpans) {
    Objects.checkFromIndexSize(offset, length, body.length);
    Reader reader = new Reader(body, maxSpans);
    CodedInputStream in = CodedInputStream.newInstance(body, 0, offset + length);
    try {
      in.skipRawBytes(offset);
      reader.spans(in);
    } catch (InvalidProtocolBufferException e) {
      String message = e.getMessage() == null ? "invalid protobuf" : e.getMessage();
      int stop = message.indexOf(". ");
      throw reader.malformed(
          in.getTotalBytesRead(), stop > 0 ? message.substring(0, stop) : message);
    } catch (IOException e) {
      throw reader.malformed(in.getTotalBytesRead(), e.toString());
    }
    return reader.collector.result();
  }

  /** Skips an unknown field; a stray end-group tag means the input is not a message. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new InvalidProtocolBufferException("unexpected end-group tag " + tag);
    }
  }

  private static final class Reader {
    private final byte[] bytes;
    private final SpanCollector collector;
    private final StringTable names = StringTable.names();
    private final StringTable values = StringTable.values();
    private final ZipkinSpanBuilder span = new ZipkinSpanBuilder();
    private int spanIndex = -1;

    Reader(byte[] bytes, int maxSpans) {
      this.bytes = bytes;
      this.collector = new SpanCollector(maxSpans);
    }

    void spans(CodedInputStream in) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == LIST_SPANS) {
          spanIndex++;
          collector.countSpan();
          int limit = in.pushLimit(in.readRawVarint32());
          span.reset();
          span(in);
          in.popLimit(limit);
          span.finish(collector, this::location);
        } else {
          skip(in, tag);
        }
      }
    }

    private void span(CodedInputStream in) throws IOException {
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case SPAN_TRACE_ID -> {
            int at = skipDelimited(in);
            int length = in.getTotalBytesRead() - at;
            span.hasTraceId = true;
            if (length == 16) {
              span.traceHigh = Ids.longAt(bytes, at);
              span.traceLow = Ids.longAt(bytes, at + 8);
            } else if (length == 8) {
              span.traceHigh = 0;
              span.traceLow = Ids.longAt(bytes, at);
            } else {
              span.problem("trace id must be 8 or 16 bytes, got " + length);
            }
          }
          case SPAN_ID -> {
            int at = skipDelimited(in);
            int length = in.getTotalBytesRead() - at;
            span.hasId = true;
            if (length == 8) {
              span.id = Ids.longAt(bytes, at);
            } else {
              span.problem("span id must be 8 bytes, got " + length);
            }
          }
          case SPAN_PARENT_ID -> {
            int at = skipDelimited(in);
            int length = in.getTotalBytesRead() - at;
            if (length == 8) {
              span.parentId = Ids.longAt(bytes, at);
            } else if (length == 0) {
              span.parentId = 0;
            } else {
              span.problem("parent id must be empty or 8 bytes, got " + length);
            }
          }
          case SPAN_KIND -> {
            int kind = in.readEnum();
            span.kind = kind >= 0 && kind < KINDS.length ? KINDS[kind] : Span.Kind.UNSPECIFIED;
          }
          case SPAN_NAME -> span.name = string(in, names);
          case SPAN_TIMESTAMP -> span.timestampMicros = in.readFixed64();
          case SPAN_DURATION -> span.durationMicros = in.readUInt64();
          case SPAN_LOCAL_ENDPOINT -> endpoint(in, span.local);
          case SPAN_REMOTE_ENDPOINT -> endpoint(in, span.remote);
          case SPAN_ANNOTATIONS -> annotation(in);
          case SPAN_TAGS -> tag(in);
          case SPAN_DEBUG -> span.debug = in.readBool();
          case SPAN_SHARED -> span.shared = in.readBool();
          default -> skip(in, tag);
        }
      }
    }

    private void endpoint(CodedInputStream in, ZipkinSpanBuilder.Endpoint endpoint)
        throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case ENDPOINT_SERVICE_NAME -> endpoint.serviceName = string(in, names);
          case ENDPOINT_IPV4 -> {
            int at = skipDelimited(in);
            if (in.getTotalBytesRead() - at == 4) {
              endpoint.ipv4 = Ids.ipv4(bytes, at);
            }
          }
          case ENDPOINT_IPV6 -> {
            int at = skipDelimited(in);
            if (in.getTotalBytesRead() - at == 16) {
              endpoint.ipv6 = Ids.ipv6(bytes, at);
            }
          }
          case ENDPOINT_PORT -> {
            int port = in.readInt32();
            endpoint.port = port > 0 && port <= 65535 ? port : 0;
          }
          default -> skip(in, tag);
        }
      }
      in.popLimit(limit);
    }

    private void annotation(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      long timestamp = 0;
      String value = "";
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == ANNOTATION_TIMESTAMP) {
          timestamp = in.readFixed64();
        } else if (tag == ANNOTATION_VALUE) {
          value = string(in, names);
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
      span.annotation(timestamp, value);
    }

    private void tag(CodedInputStream in) throws IOException {
      int limit = in.pushLimit(in.readRawVarint32());
      String key = "";
      String value = "";
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == ENTRY_KEY) {
          key = string(in, names);
        } else if (tag == ENTRY_VALUE) {
          value = string(in, values);
        } else {
          skip(in, tag);
        }
      }
      in.popLimit(limit);
      span.tag(key, value);
    }

    private static int skipDelimited(CodedInputStream in) throws IOException {
      int length = in.readRawVarint32();
      int start = in.getTotalBytesRead();
      in.skipRawBytes(length);
      return start;
    }

    private String string(CodedInputStream in, StringTable table) throws IOException {
      int at = skipDelimited(in);
      return table.utf8(bytes, at, in.getTotalBytesRead() - at);
    }

    String location() {
      return spanIndex >= 0 ? "spans[" + spanIndex + "]" : "request";
    }

    MalformedRequestException malformed(int at, String problem) {
      return new MalformedRequestException(
          "malformed Zipkin proto3 in " + location() + " at byte " + at + ": " + problem);
    }
  }
}
