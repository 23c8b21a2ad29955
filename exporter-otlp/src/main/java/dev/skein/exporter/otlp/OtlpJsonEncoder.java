package dev.skein.exporter.otlp;

import dev.skein.exporter.SpanEncoder;
import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.BiConsumer;

/**
 * Encodes spans as an OTLP {@code ExportTraceServiceRequest} in JSON, the body of an OTLP/HTTP
 * {@code application/json} request.
 *
 * <p>The output follows the OTLP JSON rules on top of the proto3 JSON mapping: lowerCamelCase keys,
 * trace and span ids as lowercase hex (not base64), enums as integers, 64-bit integers as decimal
 * strings, and fields with default values left out. The content is the same as {@link
 * OtlpProtoEncoder}'s, grouped the same way.
 *
 * <p>An encoder keeps nothing between calls but a bounded table of the attribute keys it has
 * encoded, which threads may share: one encoder may serve many threads. A {@link WireBuffer} may
 * not.
 */
public final class OtlpJsonEncoder implements SpanEncoder {

  /** The start of KeyValue objects up to the value: {@code {"key":"…","value":}. */
  private final EncodedKeys keys = new EncodedKeys();

  /** The bytes (UTF-8) of an {@code ExportTraceServiceRequest} holding {@code spans}. */
  public byte[] encode(Collection<? extends SpanData> spans) {
    WireBuffer out = new WireBuffer(512 * Math.max(1, spans.size()));
    encode(spans, out);
    return out.toByteArray();
  }

  /**
   * Appends a JSON {@code ExportTraceServiceRequest} holding {@code spans} to {@code out}; an empty
   * collection writes {@code {}}.
   *
   * @throws IllegalArgumentException when a span has no resource or scope, or an attribute value of
   *     a type OpenTelemetry does not define
   */
  @Override
  public void encode(Collection<? extends SpanData> spans, WireBuffer out) {
    new Writer(out, keys).write(SpanBatch.of(spans));
  }

  /**
   * The state of one encoding; also the visitor for {@link Attributes}, so none is made per use.
   */
  private static final class Writer implements BiConsumer<AttributeKey<?>, Object> {
    private final WireBuffer out;
    private final EncodedKeys keys;
    private final OtlpFields.TraceStates traceStates = new OtlpFields.TraceStates();
    private boolean firstAttribute; // whether the visitor is at the start of a JSON array

    Writer(WireBuffer out, EncodedKeys keys) {
      this.out = out;
      this.keys = keys;
    }

    void write(SpanBatch batch) {
      if (batch.groupCount() == 0) {
        out.writeAscii("{}");
        return;
      }
      out.writeAscii("{\"resourceSpans\":[");
      int group = 0;
      while (group < batch.groupCount()) {
        if (group > 0) {
          out.writeByte(',');
        }
        int resourceIndex = batch.resourceIndex(group);
        out.writeAscii("{\"resource\":{");
        writeAttributes("\"attributes\":", batch.resource(group));
        out.writeAscii("},\"scopeSpans\":[");
        boolean firstScope = true;
        do {
          if (!firstScope) {
            out.writeByte(',');
          }
          firstScope = false;
          writeScopeSpans(batch, group);
          group++;
        } while (group < batch.groupCount() && batch.resourceIndex(group) == resourceIndex);
        out.writeAscii("]}");
      }
      out.writeAscii("]}");
    }

    private void writeScopeSpans(SpanBatch batch, int group) {
      InstrumentationScope scope = batch.scope(group);
      out.writeAscii("{\"scope\":{");
      boolean named = writeStringField("\"name\":", scope.name());
      writeStringField(named ? ",\"version\":" : "\"version\":", scope.version());
      out.writeAscii("},\"spans\":[");
      for (int i = batch.start(group), end = batch.end(group); i < end; i++) {
        if (i > batch.start(group)) {
          out.writeByte(',');
        }
        writeSpan(batch.span(i));
      }
      out.writeByte(']');
      writeStringField(",\"schemaUrl\":", scope.schemaUrl());
      out.writeByte('}');
    }

    private void writeSpan(SpanData span) {
      out.writeAscii("{\"traceId\":\"");
      out.writeHex(span.traceIdHigh());
      out.writeHex(span.traceIdLow());
      out.writeAscii("\",\"spanId\":\"");
      out.writeHex(span.spanId());
      out.writeByte('"');
      SpanContext context = span.spanContext();
      if (context != null) {
        writeStringField(",\"traceState\":", traceStates.header(context.getTraceState()));
      }
      if (span.parentSpanId() != 0) {
        out.writeAscii(",\"parentSpanId\":\"");
        out.writeHex(span.parentSpanId());
        out.writeByte('"');
      }
      out.writeAscii(",\"flags\":");
      out.writeDecimal(OtlpFields.flags(context, span.hasRemoteParent()));
      writeStringField(",\"name\":", span.name());
      writeNumberField(",\"kind\":", OtlpFields.kind(span.kind()));
      writeQuotedNumberField(",\"startTimeUnixNano\":", span.startEpochNanos());
      writeQuotedNumberField(",\"endTimeUnixNano\":", span.endEpochNanos());
      int attributeCount = span.attributeCount();
      if (attributeCount > 0) {
        out.writeAscii(",\"attributes\":[");
        for (int i = 0; i < attributeCount; i++) {
          if (i > 0) {
            out.writeByte(',');
          }
          writeKeyValue(span.attributeKey(i), span.attributeValue(i));
        }
        out.writeByte(']');
      }
      writeNumberField(
          ",\"droppedAttributesCount\":", OtlpFields.count(span.droppedAttributeCount()));
      List<SpanEvent> events = span.events();
      if (!events.isEmpty()) {
        out.writeAscii(",\"events\":[");
        for (int i = 0, n = events.size(); i < n; i++) {
          if (i > 0) {
            out.writeByte(',');
          }
          writeEvent(events.get(i));
        }
        out.writeByte(']');
      }
      writeNumberField(",\"droppedEventsCount\":", OtlpFields.count(span.droppedEventCount()));
      List<SpanLink> links = span.links();
      if (!links.isEmpty()) {
        out.writeAscii(",\"links\":[");
        for (int i = 0, n = links.size(); i < n; i++) {
          if (i > 0) {
            out.writeByte(',');
          }
          writeLink(links.get(i));
        }
        out.writeByte(']');
      }
      writeNumberField(",\"droppedLinksCount\":", OtlpFields.count(span.droppedLinkCount()));
      int code = OtlpFields.statusCode(span.statusCode());
      String message = span.statusDescription();
      if (code != 0 || (message != null && !message.isEmpty())) {
        out.writeAscii(",\"status\":{");
        boolean any = writeStringField("\"message\":", message);
        writeNumberField(any ? ",\"code\":" : "\"code\":", code);
        out.writeByte('}');
      }
      out.writeByte('}');
    }

    private void writeEvent(SpanEvent event) {
      out.writeByte('{');
      boolean any = event.epochNanos() != 0;
      writeQuotedNumberField("\"timeUnixNano\":", event.epochNanos());
      any |= writeStringField(any ? ",\"name\":" : "\"name\":", event.name());
      any |= writeAttributes(any ? ",\"attributes\":" : "\"attributes\":", event.attributes());
      writeNumberField(
          any ? ",\"droppedAttributesCount\":" : "\"droppedAttributesCount\":",
          OtlpFields.count(event.droppedAttributeCount()));
      out.writeByte('}');
    }

    private void writeLink(SpanLink link) {
      SpanContext context = link.context();
      out.writeAscii("{\"traceId\":\"");
      out.writeHex(OtlpFields.traceIdHigh(context));
      out.writeHex(OtlpFields.traceIdLow(context));
      out.writeByte('"');
      long spanId = OtlpFields.spanId(context);
      if (spanId != 0) {
        out.writeAscii(",\"spanId\":\"");
        out.writeHex(spanId);
        out.writeByte('"');
      }
      writeStringField(",\"traceState\":", traceStates.header(context.getTraceState()));
      writeAttributes(",\"attributes\":", link.attributes());
      writeNumberField(
          ",\"droppedAttributesCount\":", OtlpFields.count(link.droppedAttributeCount()));
      out.writeAscii(",\"flags\":");
      out.writeDecimal(OtlpFields.flags(context, context.isRemote()));
      out.writeByte('}');
    }

    /**
     * Writes {@code prefix} and the attributes as a JSON array, or nothing when there are none.
     *
     * @return whether anything was written
     */
    private boolean writeAttributes(String prefix, Attributes attributes) {
      if (attributes == null || attributes.isEmpty()) {
        return false;
      }
      out.writeAscii(prefix);
      out.writeByte('[');
      firstAttribute = true;
      attributes.forEach(this);
      out.writeByte(']');
      return true;
    }

    /** One attribute of the {@link Attributes} being written. */
    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!firstAttribute) {
        out.writeByte(',');
      }
      firstAttribute = false;
      writeKeyValue(key.getKey(), value);
    }

    private void writeKeyValue(String key, Object value) {
      writeKeyStart(key == null ? "" : key);
      writeAnyValue(key, value);
      out.writeByte('}');
    }

    /** {@code {"key":"…","value":}, copied when this key string was seen before. */
    private void writeKeyStart(String key) {
      byte[] encoded = keys.get(key);
      if (encoded != null) {
        out.writeBytes(encoded);
        return;
      }
      writeKeyStart(out, key);
      if (keys.hasRoom(key)) {
        WireBuffer start = new WireBuffer(key.length() + 20);
        writeKeyStart(start, key);
        keys.put(key, start.toByteArray());
      }
    }

    private static void writeKeyStart(WireBuffer out, String key) {
      if (key.isEmpty()) {
        out.writeAscii("{\"value\":"); // the default key, left out as protobuf does
        return;
      }
      out.writeAscii("{\"key\":");
      out.writeJsonString(key);
      out.writeAscii(",\"value\":");
    }

    /** An {@code AnyValue} object; {@code key} names the attribute in errors. */
    private void writeAnyValue(String key, Object value) {
      if (value instanceof String s) {
        out.writeAscii("{\"stringValue\":");
        out.writeJsonString(s);
        out.writeByte('}');
      } else if (value instanceof Long l) {
        out.writeAscii("{\"intValue\":\"");
        out.writeDecimal(l);
        out.writeAscii("\"}");
      } else if (value instanceof Boolean b) {
        out.writeAscii(b ? "{\"boolValue\":true}" : "{\"boolValue\":false}");
      } else if (value instanceof Double d) {
        out.writeAscii("{\"doubleValue\":");
        JsonDoubles.write(out, d);
        out.writeByte('}');
      } else if (value instanceof List<?> list) {
        out.writeAscii("{\"arrayValue\":{");
        writeValues(key, list);
        out.writeAscii("}}");
      } else if (value instanceof Value<?> v) {
        writeValue(key, v);
      } else {
        throw OtlpFields.unsupported(key, value);
      }
    }

    /** The {@code "values"} member of an {@code ArrayValue}, left out when empty. */
    private void writeValues(String key, List<?> values) {
      if (values.isEmpty()) {
        return;
      }
      out.writeAscii("\"values\":[");
      if (values instanceof RandomAccess) {
        for (int i = 0, n = values.size(); i < n; i++) {
          if (i > 0) {
            out.writeByte(',');
          }
          writeAnyValue(key, values.get(i));
        }
      } else {
        boolean first = true;
        for (Object element : values) {
          if (!first) {
            out.writeByte(',');
          }
          first = false;
          writeAnyValue(key, element);
        }
      }
      out.writeByte(']');
    }

    /** An {@code AnyValue} object holding an OpenTelemetry {@link Value}. */
    private void writeValue(String key, Value<?> value) {
      switch (value.getType()) {
        case STRING, BOOLEAN, LONG, DOUBLE -> writeAnyValue(key, value.getValue());
        case ARRAY -> {
          out.writeAscii("{\"arrayValue\":{");
          writeValues(key, (List<?>) value.getValue());
          out.writeAscii("}}");
        }
        case KEY_VALUE_LIST -> {
          out.writeAscii("{\"kvlistValue\":{");
          List<?> entries = (List<?>) value.getValue();
          if (!entries.isEmpty()) {
            out.writeAscii("\"values\":[");
            boolean first = true;
            for (Object entry : entries) {
              if (!first) {
                out.writeByte(',');
              }
              first = false;
              KeyValue keyValue = (KeyValue) entry;
              writeKeyValue(keyValue.getKey(), keyValue.getValue());
            }
            out.writeByte(']');
          }
          out.writeAscii("}}");
        }
        case BYTES -> {
          ByteBuffer bytes = ((ByteBuffer) value.getValue()).duplicate();
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          out.writeAscii("{\"bytesValue\":\"");
          out.writeAscii(Base64.getEncoder().encodeToString(copy));
          out.writeAscii("\"}");
        }
        case EMPTY -> out.writeAscii("{}");
      }
    }

    /**
     * Writes {@code prefix} and {@code value} as a JSON string, or nothing when it is empty.
     *
     * @return whether anything was written
     */
    private boolean writeStringField(String prefix, String value) {
      if (value == null || value.isEmpty()) {
        return false;
      }
      out.writeAscii(prefix);
      out.writeJsonString(value);
      return true;
    }

    /** Writes {@code prefix} and {@code value} as a JSON number, or nothing when it is 0. */
    private void writeNumberField(String prefix, long value) {
      if (value != 0) {
        out.writeAscii(prefix);
        out.writeDecimal(value);
      }
    }

    /** A fixed64 as proto3 JSON has it: an unsigned decimal string; nothing when it is 0. */
    private void writeQuotedNumberField(String prefix, long value) {
      if (value != 0) {
        out.writeAscii(prefix);
        out.writeByte('"');
        if (value > 0) {
          out.writeDecimal(value);
        } else {
          out.writeAscii(Long.toUnsignedString(value));
        }
        out.writeByte('"');
      }
    }
  }
}
