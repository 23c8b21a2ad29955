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
import io.opentelemetry.api.trace.TraceState;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.BiConsumer;

/**
 * Encodes spans as an OTLP {@code ExportTraceServiceRequest} in protobuf binary, the body of an
 * OTLP/HTTP {@code application/x-protobuf} request and the message of an OTLP/gRPC call.
 *
 * <p>Spans are written straight from {@link SpanData} into a {@link WireBuffer}: no intermediate
 * message objects and, for the spans an SDK makes, no allocation per span. Spans are grouped into
 * {@code ResourceSpans} by resource and into {@code ScopeSpans} by instrumentation scope.
 *
 * <p>An encoder keeps nothing between calls but a bounded table of the attribute keys it has
 * encoded, which threads may share: one encoder may serve many threads. A {@link WireBuffer} may
 * not.
 */
public final class OtlpProtoEncoder implements SpanEncoder {

  // ExportTraceServiceRequest
  private static final int REQUEST_RESOURCE_SPANS = 1;
  // ResourceSpans
  private static final int RESOURCE_SPANS_RESOURCE = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  // Resource
  private static final int RESOURCE_ATTRIBUTES = 1;
  // ScopeSpans
  private static final int SCOPE_SPANS_SCOPE = 1;
  private static final int SCOPE_SPANS_SPANS = 2;
  private static final int SCOPE_SPANS_SCHEMA_URL = 3;
  // InstrumentationScope
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  // Span
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_TRACE_STATE = 3;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START_TIME = 7;
  private static final int SPAN_END_TIME = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_DROPPED_ATTRIBUTES = 10;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_DROPPED_EVENTS = 12;
  private static final int SPAN_LINKS = 13;
  private static final int SPAN_DROPPED_LINKS = 14;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16; // fixed32
  // Span.Event
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int EVENT_DROPPED_ATTRIBUTES = 4;
  // Span.Link
  private static final int LINK_TRACE_ID = 1;
  private static final int LINK_SPAN_ID = 2;
  private static final int LINK_TRACE_STATE = 3;
  private static final int LINK_ATTRIBUTES = 4;
  private static final int LINK_DROPPED_ATTRIBUTES = 5;
  private static final int LINK_FLAGS = 6; // fixed32
  // Status
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  // KeyValue
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  // AnyValue (a oneof: a value equal to its type's default is still written)
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ANY_KVLIST = 6;
  private static final int ANY_BYTES = 7;
  // ArrayValue and KeyValueList
  private static final int LIST_VALUES = 1;

  /**
   * About what a span takes, rounded to what its length prefix needs: enough that the nested
   * lengths usually fit the room reserved for them and no span or batch moves once written.
   */
  private static final int EXPECTED_SPAN_LENGTH = 256;

  private static int expectedLength(int spans) {
    return (int) Math.min(Integer.MAX_VALUE, (long) EXPECTED_SPAN_LENGTH * spans);
  }

  /** KeyValue.key fields, tag and length included. */
  private final EncodedKeys keys = new EncodedKeys();

  /** The bytes of an {@code ExportTraceServiceRequest} holding {@code spans}. */
  public byte[] encode(Collection<? extends SpanData> spans) {
    WireBuffer out = new WireBuffer(256 * Math.max(1, spans.size()));
    encode(spans, out);
    return out.toByteArray();
  }

  /**
   * Appends an {@code ExportTraceServiceRequest} holding {@code spans} to {@code out}. An empty
   * collection writes nothing, which is the empty request.
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
    private final TraceStateWriter traceStateWriter = new TraceStateWriter();
    private int attributesField; // the field the visitor writes KeyValues as

    Writer(WireBuffer out, EncodedKeys keys) {
      this.out = out;
      this.keys = keys;
    }

    void write(SpanBatch batch) {
      int group = 0;
      while (group < batch.groupCount()) {
        int resourceIndex = batch.resourceIndex(group);
        int resourceSpans = out.beginMessage(REQUEST_RESOURCE_SPANS, expectedLength(batch.size()));
        int resource = out.beginMessage(RESOURCE_SPANS_RESOURCE);
        writeAttributes(RESOURCE_ATTRIBUTES, batch.resource(group));
        out.endMessage(resource);
        do {
          writeScopeSpans(batch, group);
          group++;
        } while (group < batch.groupCount() && batch.resourceIndex(group) == resourceIndex);
        out.endMessage(resourceSpans);
      }
    }

    private void writeScopeSpans(SpanBatch batch, int group) {
      int scopeSpans =
          out.beginMessage(
              RESOURCE_SPANS_SCOPE_SPANS, expectedLength(batch.end(group) - batch.start(group)));
      InstrumentationScope scope = batch.scope(group);
      int scopeMark = out.beginMessage(SCOPE_SPANS_SCOPE);
      out.writeStringField(SCOPE_NAME, scope.name());
      out.writeStringField(SCOPE_VERSION, scope.version());
      out.endMessage(scopeMark);
      for (int i = batch.start(group), end = batch.end(group); i < end; i++) {
        writeSpan(batch.span(i));
      }
      out.writeStringField(SCOPE_SPANS_SCHEMA_URL, scope.schemaUrl());
      out.endMessage(scopeSpans);
    }

    private void writeSpan(SpanData span) {
      int mark = out.beginMessage(SCOPE_SPANS_SPANS, EXPECTED_SPAN_LENGTH);
      out.writeIdField(SPAN_TRACE_ID, span.traceIdHigh(), span.traceIdLow());
      out.writeIdField(SPAN_SPAN_ID, span.spanId());
      SpanContext context = span.spanContext();
      if (context != null) {
        writeTraceState(SPAN_TRACE_STATE, context.getTraceState());
      }
      out.writeIdField(SPAN_PARENT_SPAN_ID, span.parentSpanId());
      out.writeStringField(SPAN_NAME, span.name());
      out.writeVarintField(SPAN_KIND, OtlpFields.kind(span.kind()));
      out.writeFixed64Field(SPAN_START_TIME, span.startEpochNanos());
      out.writeFixed64Field(SPAN_END_TIME, span.endEpochNanos());
      writeSpanAttributes(span);
      out.writeVarintField(SPAN_DROPPED_ATTRIBUTES, OtlpFields.count(span.droppedAttributeCount()));
      List<SpanEvent> events = span.events();
      for (int i = 0, n = events.size(); i < n; i++) {
        writeEvent(events.get(i));
      }
      out.writeVarintField(SPAN_DROPPED_EVENTS, OtlpFields.count(span.droppedEventCount()));
      List<SpanLink> links = span.links();
      for (int i = 0, n = links.size(); i < n; i++) {
        writeLink(links.get(i));
      }
      out.writeVarintField(SPAN_DROPPED_LINKS, OtlpFields.count(span.droppedLinkCount()));
      int code = OtlpFields.statusCode(span.statusCode());
      String message = span.statusDescription();
      if (code != 0 || (message != null && !message.isEmpty())) {
        int status = out.beginMessage(SPAN_STATUS);
        out.writeStringField(STATUS_MESSAGE, message);
        out.writeVarintField(STATUS_CODE, code);
        out.endMessage(status);
      }
      out.writeTag(SPAN_FLAGS, WireBuffer.FIXED32);
      out.writeFixed32(OtlpFields.flags(context, span.hasRemoteParent()));
      out.endMessage(mark);
    }

    /**
     * The span's attributes, read by index. The loop is a method of its own with the common value
     * types written in place: small enough for the JIT to compile into one piece.
     */
    private void writeSpanAttributes(SpanData span) {
      int count = span.attributeCount();
      for (int i = 0; i < count; i++) {
        String key = span.attributeKey(i);
        Object value = span.attributeValue(i);
        int keyValue = out.beginMessage(SPAN_ATTRIBUTES);
        writeKey(key);
        int anyValue = out.beginMessage(KEY_VALUE_VALUE);
        if (value instanceof String s && !s.isEmpty()) {
          out.writeStringField(ANY_STRING, s);
        } else if (value instanceof Long l) {
          out.writeTag(ANY_INT, WireBuffer.VARINT);
          out.writeVarint(l);
        } else if (value instanceof Boolean b) {
          out.writeTag(ANY_BOOL, WireBuffer.VARINT);
          out.writeByte(b ? 1 : 0);
        } else if (value instanceof Double d) {
          out.writeTag(ANY_DOUBLE, WireBuffer.FIXED64);
          out.writeFixed64(Double.doubleToRawLongBits(d));
        } else {
          writeAnyValueBody(key, value);
        }
        out.endMessage(anyValue);
        out.endMessage(keyValue);
      }
    }

    /** {@code KeyValue.key}, copied when this key string was seen before. */
    private void writeKey(String key) {
      if (key == null || key.isEmpty()) {
        return; // the default, left out
      }
      byte[] encoded = keys.get(key);
      if (encoded != null) {
        out.writeBytes(encoded);
        return;
      }
      out.writeStringField(KEY_VALUE_KEY, key);
      if (keys.hasRoom(key)) {
        WireBuffer field = new WireBuffer(key.length() + 4);
        field.writeStringField(KEY_VALUE_KEY, key);
        keys.put(key, field.toByteArray());
      }
    }

    private void writeEvent(SpanEvent event) {
      int mark = out.beginMessage(SPAN_EVENTS);
      out.writeFixed64Field(EVENT_TIME, event.epochNanos());
      out.writeStringField(EVENT_NAME, event.name());
      writeAttributes(EVENT_ATTRIBUTES, event.attributes());
      out.writeVarintField(
          EVENT_DROPPED_ATTRIBUTES, OtlpFields.count(event.droppedAttributeCount()));
      out.endMessage(mark);
    }

    private void writeLink(SpanLink link) {
      SpanContext context = link.context();
      int mark = out.beginMessage(SPAN_LINKS);
      out.writeIdField(
          LINK_TRACE_ID, OtlpFields.traceIdHigh(context), OtlpFields.traceIdLow(context));
      out.writeIdField(LINK_SPAN_ID, OtlpFields.spanId(context));
      writeTraceState(LINK_TRACE_STATE, context.getTraceState());
      writeAttributes(LINK_ATTRIBUTES, link.attributes());
      out.writeVarintField(LINK_DROPPED_ATTRIBUTES, OtlpFields.count(link.droppedAttributeCount()));
      out.writeTag(LINK_FLAGS, WireBuffer.FIXED32);
      out.writeFixed32(OtlpFields.flags(context, context.isRemote()));
      out.endMessage(mark);
    }

    /** The W3C {@code tracestate} header value, written without making the string. */
    private void writeTraceState(int field, TraceState traceState) {
      if (traceState == null || traceState.isEmpty()) {
        return;
      }
      int mark = out.beginMessage(field);
      traceStateWriter.first = true;
      traceState.forEach(traceStateWriter);
      out.endMessage(mark);
    }

    /** Writes trace state entries as {@code key=value}, separated by commas. */
    private final class TraceStateWriter implements BiConsumer<String, String> {
      private boolean first;

      @Override
      public void accept(String key, String value) {
        if (!first) {
          out.writeByte(',');
        }
        first = false;
        out.writeUtf8(key);
        out.writeByte('=');
        out.writeUtf8(value);
      }
    }

    private void writeAttributes(int field, Attributes attributes) {
      if (attributes == null || attributes.isEmpty()) {
        return;
      }
      attributesField = field;
      attributes.forEach(this);
    }

    /** One attribute of the {@link Attributes} being written. */
    @Override
    public void accept(AttributeKey<?> key, Object value) {
      writeKeyValue(attributesField, key.getKey(), value);
    }

    private void writeKeyValue(int field, String key, Object value) {
      int mark = out.beginMessage(field);
      writeKey(key);
      writeAnyValue(KEY_VALUE_VALUE, key, value);
      out.endMessage(mark);
    }

    /** An {@code AnyValue} as field {@code field}; {@code key} names the attribute in errors. */
    private void writeAnyValue(int field, String key, Object value) {
      int mark = out.beginMessage(field);
      writeAnyValueBody(key, value);
      out.endMessage(mark);
    }

    private void writeAnyValueBody(String key, Object value) {
      if (value instanceof String s) {
        int string = out.beginMessage(ANY_STRING); // written even when empty: a oneof member
        out.writeUtf8(s);
        out.endMessage(string);
      } else if (value instanceof Long l) {
        out.writeTag(ANY_INT, WireBuffer.VARINT);
        out.writeVarint(l);
      } else if (value instanceof Boolean b) {
        out.writeTag(ANY_BOOL, WireBuffer.VARINT);
        out.writeByte(b ? 1 : 0);
      } else if (value instanceof Double d) {
        out.writeTag(ANY_DOUBLE, WireBuffer.FIXED64);
        out.writeFixed64(Double.doubleToRawLongBits(d));
      } else if (value instanceof List<?> list) {
        int array = out.beginMessage(ANY_ARRAY);
        writeValues(key, list);
        out.endMessage(array);
      } else if (value instanceof Value<?> v) {
        writeValueBody(key, v);
      } else {
        throw OtlpFields.unsupported(key, value);
      }
    }

    private void writeValues(String key, List<?> values) {
      if (values instanceof RandomAccess) {
        for (int i = 0, n = values.size(); i < n; i++) {
          writeAnyValue(LIST_VALUES, key, values.get(i));
        }
      } else {
        for (Object element : values) {
          writeAnyValue(LIST_VALUES, key, element);
        }
      }
    }

    /** The fields of an {@code AnyValue} holding an OpenTelemetry {@link Value}. */
    private void writeValueBody(String key, Value<?> value) {
      switch (value.getType()) {
        case STRING, BOOLEAN, LONG, DOUBLE -> writeAnyValueBody(key, value.getValue());
        case ARRAY -> {
          int array = out.beginMessage(ANY_ARRAY);
          writeValues(key, (List<?>) value.getValue());
          out.endMessage(array);
        }
        case KEY_VALUE_LIST -> {
          int list = out.beginMessage(ANY_KVLIST);
          for (Object entry : (List<?>) value.getValue()) {
            KeyValue keyValue = (KeyValue) entry;
            writeKeyValue(LIST_VALUES, keyValue.getKey(), keyValue.getValue());
          }
          out.endMessage(list);
        }
        case BYTES -> {
          ByteBuffer bytes = (ByteBuffer) value.getValue();
          int mark = out.beginMessage(ANY_BYTES);
          for (int i = bytes.position(), end = bytes.limit(); i < end; i++) {
            out.writeByte(bytes.get(i));
          }
          out.endMessage(mark);
        }
        case EMPTY -> {
          // An AnyValue with no field set.
        }
      }
    }
  }
}
