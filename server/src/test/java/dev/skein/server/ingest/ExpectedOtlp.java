package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.SpanLink;
import dev.skein.storage.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What the OTLP decoders must make of a request, worked out from the generated classes' getters
 * with the mapping the receivers document: the test oracle.
 */
final class ExpectedOtlp {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final List<Span> spans = new ArrayList<>();
  int rejected;

  static ExpectedOtlp of(ExportTraceServiceRequest request) {
    ExpectedOtlp expected = new ExpectedOtlp();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      String service = "unknown_service";
      List<Attribute> resource = new ArrayList<>();
      for (KeyValue kv : resourceSpans.getResource().getAttributesList()) {
        Object value = attributeValue(kv.getValue());
        if (value == null) {
          continue;
        }
        if (kv.getKey().equals("service.name") && value instanceof String s) {
          service = s.isEmpty() ? "unknown_service" : s;
        } else {
          resource.add(new Attribute(kv.getKey(), value));
        }
      }
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
          Span decoded = span(span, service, resource, scopeSpans);
          if (decoded == null) {
            expected.rejected++;
          } else {
            expected.spans.add(decoded);
          }
        }
      }
    }
    return expected;
  }

  private static Span span(
      io.opentelemetry.proto.trace.v1.Span span,
      String service,
      List<Attribute> resource,
      ScopeSpans scopeSpans) {
    ByteString traceId = span.getTraceId();
    ByteString spanId = span.getSpanId();
    ByteString parent = span.getParentSpanId();
    if (traceId.size() != 16 || isZero(traceId) || spanId.size() != 8 || isZero(spanId)) {
      return null;
    }
    if (parent.size() != 0 && parent.size() != 8) {
      return null;
    }
    long parentId = parent.isEmpty() ? 0 : toLong(parent, 0);
    if (parentId == toLong(spanId, 0)) {
      return null;
    }
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    if (start < 0 || end < 0 || end < start) {
      return null;
    }
    int kind = span.getKindValue();
    int code = span.getStatus().getCodeValue();
    Span.Builder expected =
        Span.builder()
            .traceId(new TraceId(toLong(traceId, 0), toLong(traceId, 8)))
            .spanId(toLong(spanId, 0))
            .parentSpanId(parentId)
            .service(service)
            .name(span.getName())
            .kind(kind >= 0 && kind <= 5 ? Span.Kind.values()[kind] : Span.Kind.UNSPECIFIED)
            .startEpochNanos(start)
            .durationNanos(end - start)
            .status(
                code >= 0 && code <= 2 ? Span.Status.values()[code] : Span.Status.UNSET,
                span.getStatus().getMessage())
            .scope(scopeSpans.getScope().getName(), scopeSpans.getScope().getVersion())
            .traceState(span.getTraceState())
            .flags(span.getFlags());
    attributes(span.getAttributesList()).forEach(expected::addAttribute);
    resource.forEach(expected::addResourceAttribute);
    for (io.opentelemetry.proto.trace.v1.Span.Event event : span.getEventsList()) {
      expected.addEvent(
          new SpanEvent(
              event.getTimeUnixNano(), event.getName(), attributes(event.getAttributesList())));
    }
    for (io.opentelemetry.proto.trace.v1.Span.Link link : span.getLinksList()) {
      ByteString linkTrace = link.getTraceId();
      ByteString linkSpan = link.getSpanId();
      if (linkTrace.size() != 16 || isZero(linkTrace) || linkSpan.size() != 8 || isZero(linkSpan)) {
        continue; // an invalid link is dropped, the span kept
      }
      expected.addLink(
          new SpanLink(
              new TraceId(toLong(linkTrace, 0), toLong(linkTrace, 8)),
              toLong(linkSpan, 0),
              link.getTraceState(),
              attributes(link.getAttributesList())));
    }
    return expected.build();
  }

  static List<Attribute> attributes(List<KeyValue> keyValues) {
    List<Attribute> attributes = new ArrayList<>();
    for (KeyValue kv : keyValues) {
      Object value = attributeValue(kv.getValue());
      if (value != null) {
        attributes.add(new Attribute(kv.getKey(), value));
      }
    }
    return attributes;
  }

  /** The documented mapping of an AnyValue; null when it has no value. */
  static Object attributeValue(AnyValue value) {
    switch (value.getValueCase()) {
      case ARRAY_VALUE -> {
        List<Object> elements = new ArrayList<>();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          Object scalar = scalar(element);
          if (scalar == null) {
            return json(value);
          }
          elements.add(scalar);
        }
        return elements;
      }
      case KVLIST_VALUE -> {
        return json(value);
      }
      default -> {
        return scalar(value);
      }
    }
  }

  private static Object scalar(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      default -> null;
    };
  }

  /** Compact JSON, kvlist keys in order with duplicates kept, NaN and infinities as strings. */
  private static String json(AnyValue value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
      write(json, value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator json, AnyValue value) throws IOException {
    switch (value.getValueCase()) {
      case ARRAY_VALUE -> {
        json.writeStartArray();
        for (AnyValue element : value.getArrayValue().getValuesList()) {
          write(json, element);
        }
        json.writeEndArray();
      }
      case KVLIST_VALUE -> {
        json.writeStartObject();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          json.writeFieldName(kv.getKey());
          write(json, kv.getValue());
        }
        json.writeEndObject();
      }
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isFinite(d)) {
          json.writeNumber(d);
        } else {
          json.writeString(Double.toString(d));
        }
      }
      case VALUE_NOT_SET -> json.writeNull();
      default -> json.writeObject(scalar(value));
    }
  }

  private static boolean isZero(ByteString bytes) {
    for (int i = 0; i < bytes.size(); i++) {
      if (bytes.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static long toLong(ByteString bytes, int offset) {
    return ByteBuffer.wrap(bytes.toByteArray()).getLong(offset);
  }
}
