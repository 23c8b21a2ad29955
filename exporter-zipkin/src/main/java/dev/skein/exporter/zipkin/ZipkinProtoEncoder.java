package dev.skein.exporter.zipkin;

import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import io.opentelemetry.api.common.Attributes;
import java.net.Inet4Address;
import java.util.Collection;

/**
 * Encodes spans as Zipkin's proto3 {@code ListOfSpans} (zipkin.proto), the body of {@code POST
 * /api/v2/spans} with {@code Content-Type: application/x-protobuf}. Same mapping as {@link
 * ZipkinJsonEncoder}, in about half the bytes. Stateless and thread-safe.
 */
public final class ZipkinProtoEncoder implements ZipkinEncoder {

  static final String CONTENT_TYPE = "application/x-protobuf";

  private static final int BYTES_PER_SPAN = 256;

  // zipkin.proto field numbers
  private static final int LIST_SPANS = 1;
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_PARENT_ID = 2;
  private static final int SPAN_ID = 3;
  private static final int SPAN_KIND = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_TIMESTAMP = 6;
  private static final int SPAN_DURATION = 7;
  private static final int SPAN_LOCAL_ENDPOINT = 8;
  private static final int SPAN_REMOTE_ENDPOINT = 9;
  private static final int SPAN_ANNOTATIONS = 10;
  private static final int SPAN_TAGS = 11;
  private static final int ENDPOINT_SERVICE_NAME = 1;
  private static final int ENDPOINT_IPV4 = 2;
  private static final int ENDPOINT_IPV6 = 3;
  private static final int ENDPOINT_PORT = 4;
  private static final int ANNOTATION_TIMESTAMP = 1;
  private static final int ANNOTATION_VALUE = 2;
  private static final int MAP_KEY = 1;
  private static final int MAP_VALUE = 2;

  public ZipkinProtoEncoder() {}

  /** The {@code ListOfSpans} holding {@code spans}; empty for none. */
  public byte[] encode(Collection<? extends SpanData> spans) {
    WireBuffer out = new WireBuffer(spans.size() * BYTES_PER_SPAN);
    encode(spans, out);
    return out.toByteArray();
  }

  @Override
  public void encode(Collection<? extends SpanData> spans, WireBuffer out) {
    new Writer(out).writeList(spans);
  }

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public String toString() {
    return "ZipkinProtoEncoder";
  }

  /** The state of one encoding call. */
  private static final class Writer implements ZipkinMapping.TagSink {
    private final WireBuffer out;
    private Attributes lastResource;
    private String lastServiceName;

    Writer(WireBuffer out) {
      this.out = out;
    }

    void writeList(Collection<? extends SpanData> spans) {
      for (SpanData span : spans) {
        int mark = out.beginMessage(LIST_SPANS);
        writeSpan(span);
        out.endMessage(mark);
      }
    }

    private void writeSpan(SpanData span) {
      out.writeIdField(SPAN_TRACE_ID, span.traceIdHigh(), span.traceIdLow());
      out.writeIdField(SPAN_PARENT_ID, span.parentSpanId()); // absent for a root
      out.writeIdField(SPAN_ID, span.spanId());
      out.writeVarintField(SPAN_KIND, ZipkinMapping.kindNumber(span.kind()));
      out.writeStringField(SPAN_NAME, span.name());
      out.writeFixed64Field(SPAN_TIMESTAMP, ZipkinMapping.micros(span.startEpochNanos()));
      out.writeVarintField(SPAN_DURATION, ZipkinMapping.durationMicros(span));

      int local = out.beginMessage(SPAN_LOCAL_ENDPOINT);
      out.writeStringField(ENDPOINT_SERVICE_NAME, serviceName(span.resource()));
      out.endMessage(local);

      ZipkinMapping.RemoteEndpoint remote = ZipkinMapping.remoteEndpoint(span);
      if (remote != null) {
        int mark = out.beginMessage(SPAN_REMOTE_ENDPOINT);
        out.writeStringField(ENDPOINT_SERVICE_NAME, remote.serviceName());
        if (remote.ip() != null) {
          byte[] address = remote.ip().getAddress();
          out.writeTag(
              remote.ip() instanceof Inet4Address ? ENDPOINT_IPV4 : ENDPOINT_IPV6,
              WireBuffer.LENGTH_DELIMITED);
          out.writeVarint(address.length);
          out.writeBytes(address);
        }
        out.writeVarintField(ENDPOINT_PORT, remote.port());
        out.endMessage(mark);
      }

      for (SpanEvent event : span.events()) {
        int mark = out.beginMessage(SPAN_ANNOTATIONS);
        out.writeFixed64Field(ANNOTATION_TIMESTAMP, ZipkinMapping.micros(event.epochNanos()));
        writeStringAlways(ANNOTATION_VALUE, ZipkinMapping.annotationValue(event));
        out.endMessage(mark);
      }

      ZipkinMapping.forEachTag(span, this);
    }

    private String serviceName(Attributes resource) {
      if (resource != lastResource) {
        lastServiceName = ZipkinMapping.serviceName(resource);
        lastResource = resource;
      }
      return lastServiceName;
    }

    /** A tags map entry. Both fields are written even when empty, as protobuf itself does. */
    @Override
    public void tag(String key, String value) {
      int mark = out.beginMessage(SPAN_TAGS);
      writeStringAlways(MAP_KEY, key);
      writeStringAlways(MAP_VALUE, value);
      out.endMessage(mark);
    }

    /** A string field, written even when empty (an error tag with no description is ""). */
    private void writeStringAlways(int field, String value) {
      int mark = out.beginMessage(field);
      out.writeUtf8(value);
      out.endMessage(mark);
    }
  }
}
