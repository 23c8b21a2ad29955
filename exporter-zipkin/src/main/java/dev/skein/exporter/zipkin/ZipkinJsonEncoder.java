package dev.skein.exporter.zipkin;

import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import io.opentelemetry.api.common.Attributes;
import java.net.Inet4Address;
import java.util.Collection;
import java.util.List;

/**
 * Encodes spans as a Zipkin v2 JSON list, the body of {@code POST /api/v2/spans} with {@code
 * Content-Type: application/json}. The mapping from OpenTelemetry is the one the OpenTelemetry
 * specification gives for Zipkin; see the module README. Stateless and thread-safe.
 *
 * <pre>{@code
 * byte[] json = new ZipkinJsonEncoder().encode(spans); // [{"traceId":"…","id":"…",…}]
 * }</pre>
 */
public final class ZipkinJsonEncoder implements ZipkinEncoder {

  static final String CONTENT_TYPE = "application/json";

  /** The bytes one span takes, roughly; only sizes the first buffer. */
  private static final int BYTES_PER_SPAN = 512;

  public ZipkinJsonEncoder() {}

  /** The JSON list of {@code spans}, UTF-8 encoded; {@code []} for none. */
  public byte[] encode(Collection<? extends SpanData> spans) {
    WireBuffer out = new WireBuffer(spans.size() * BYTES_PER_SPAN + 2);
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
    return "ZipkinJsonEncoder";
  }

  /** The state of one encoding call. */
  private static final class Writer implements ZipkinMapping.TagSink {
    private final WireBuffer out;
    private int tagsWritten;
    // Spans of one batch nearly always share their resource: look its service name up once.
    private Attributes lastResource;
    private String lastServiceName;

    Writer(WireBuffer out) {
      this.out = out;
    }

    void writeList(Collection<? extends SpanData> spans) {
      out.writeByte('[');
      boolean first = true;
      for (SpanData span : spans) {
        if (!first) {
          out.writeByte(',');
        }
        first = false;
        writeSpan(span);
      }
      out.writeByte(']');
    }

    private void writeSpan(SpanData span) {
      out.writeAscii("{\"traceId\":\"");
      out.writeHex(span.traceIdHigh());
      out.writeHex(span.traceIdLow());
      if (span.parentSpanId() != 0) {
        out.writeAscii("\",\"parentId\":\"");
        out.writeHex(span.parentSpanId());
      }
      out.writeAscii("\",\"id\":\"");
      out.writeHex(span.spanId());
      out.writeByte('"');
      String kind = ZipkinMapping.kindName(span.kind());
      if (kind != null) {
        out.writeAscii(",\"kind\":\"");
        out.writeAscii(kind);
        out.writeByte('"');
      }
      if (!span.name().isEmpty()) {
        out.writeAscii(",\"name\":");
        out.writeJsonString(span.name());
      }
      long timestamp = ZipkinMapping.micros(span.startEpochNanos());
      if (timestamp > 0) {
        out.writeAscii(",\"timestamp\":");
        out.writeDecimal(timestamp);
      }
      out.writeAscii(",\"duration\":");
      out.writeDecimal(ZipkinMapping.durationMicros(span));
      out.writeAscii(",\"localEndpoint\":{\"serviceName\":");
      out.writeJsonString(serviceName(span.resource()));
      out.writeByte('}');
      ZipkinMapping.RemoteEndpoint remote = ZipkinMapping.remoteEndpoint(span);
      if (remote != null) {
        writeRemoteEndpoint(remote);
      }
      writeAnnotations(span.events());
      tagsWritten = 0;
      ZipkinMapping.forEachTag(span, this);
      if (tagsWritten > 0) {
        out.writeByte('}');
      }
      out.writeByte('}');
    }

    private String serviceName(Attributes resource) {
      if (resource != lastResource) {
        lastServiceName = ZipkinMapping.serviceName(resource);
        lastResource = resource;
      }
      return lastServiceName;
    }

    private void writeRemoteEndpoint(ZipkinMapping.RemoteEndpoint remote) {
      out.writeAscii(",\"remoteEndpoint\":{");
      boolean first = true;
      if (remote.serviceName() != null) {
        out.writeAscii("\"serviceName\":");
        out.writeJsonString(remote.serviceName());
        first = false;
      }
      if (remote.ip() != null) {
        if (!first) {
          out.writeByte(',');
        }
        out.writeAscii(remote.ip() instanceof Inet4Address ? "\"ipv4\":\"" : "\"ipv6\":\"");
        out.writeAscii(remote.ip().getHostAddress());
        out.writeByte('"');
        first = false;
      }
      if (remote.port() > 0) {
        if (!first) {
          out.writeByte(',');
        }
        out.writeAscii("\"port\":");
        out.writeDecimal(remote.port());
      }
      out.writeByte('}');
    }

    private void writeAnnotations(List<SpanEvent> events) {
      if (events.isEmpty()) {
        return;
      }
      out.writeAscii(",\"annotations\":[");
      for (int i = 0; i < events.size(); i++) {
        SpanEvent event = events.get(i);
        if (i > 0) {
          out.writeByte(',');
        }
        out.writeAscii("{\"timestamp\":");
        out.writeDecimal(ZipkinMapping.micros(event.epochNanos()));
        out.writeAscii(",\"value\":");
        out.writeJsonString(ZipkinMapping.annotationValue(event));
        out.writeByte('}');
      }
      out.writeByte(']');
    }

    @Override
    public void tag(String key, String value) {
      out.writeAscii(tagsWritten == 0 ? ",\"tags\":{" : ",");
      out.writeJsonString(key);
      out.writeByte(':');
      out.writeJsonString(value);
      tagsWritten++;
    }
  }
}
