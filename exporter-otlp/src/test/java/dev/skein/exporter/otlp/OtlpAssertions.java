package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanFlags;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes encoder output with the official OTLP classes and checks it, field by field, against the
 * {@link SpanData} it came from. Expected values are worked out independently of the encoders: ids
 * from the hex strings, trace states through the W3C propagator, enums from the generated
 * constants.
 */
final class OtlpAssertions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<SpanKind, Span.SpanKind> KINDS =
      Map.of(
          SpanKind.INTERNAL, Span.SpanKind.SPAN_KIND_INTERNAL,
          SpanKind.SERVER, Span.SpanKind.SPAN_KIND_SERVER,
          SpanKind.CLIENT, Span.SpanKind.SPAN_KIND_CLIENT,
          SpanKind.PRODUCER, Span.SpanKind.SPAN_KIND_PRODUCER,
          SpanKind.CONSUMER, Span.SpanKind.SPAN_KIND_CONSUMER);

  private static final Map<StatusCode, Status.StatusCode> STATUS_CODES =
      Map.of(
          StatusCode.UNSET, Status.StatusCode.STATUS_CODE_UNSET,
          StatusCode.OK, Status.StatusCode.STATUS_CODE_OK,
          StatusCode.ERROR, Status.StatusCode.STATUS_CODE_ERROR);

  private OtlpAssertions() {}

  /**
   * Parses protobuf bytes, checking that every byte was understood (no unknown fields) and that the
   * encoding is the canonical one protobuf-java itself writes.
   */
  static ExportTraceServiceRequest parseProto(byte[] bytes) throws InvalidProtocolBufferException {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
    assertNoUnknownFields(request, "request");
    assertThat(request.toByteArray()).as("canonical encoding").isEqualTo(bytes);
    return request;
  }

  private static void assertNoUnknownFields(Message message, String path) {
    assertThat(message.getUnknownFields().asMap()).as("unknown fields in %s", path).isEmpty();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String child = path + "." + field.getKey().getName();
      if (field.getValue() instanceof List<?> list) {
        for (Object element : list) {
          assertNoUnknownFields((Message) element, child);
        }
      } else {
        assertNoUnknownFields((Message) field.getValue(), child);
      }
    }
  }

  /**
   * Parses OTLP/JSON the way a collector does: the hex ids become the base64 the proto3 JSON
   * mapping expects, then protobuf-java-util's strict parser (unknown keys fail) reads the rest.
   */
  static ExportTraceServiceRequest parseJson(byte[] bytes) throws IOException {
    JsonNode root = JSON.readTree(bytes);
    for (JsonNode resourceSpans : root.path("resourceSpans")) {
      for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
        for (JsonNode span : scopeSpans.path("spans")) {
          hexToBase64((ObjectNode) span, "traceId", "spanId", "parentSpanId");
          for (JsonNode link : span.path("links")) {
            hexToBase64((ObjectNode) link, "traceId", "spanId");
          }
        }
      }
    }
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    JsonFormat.parser().merge(JSON.writeValueAsString(root), builder);
    return builder.build();
  }

  private static void hexToBase64(ObjectNode node, String... fields) {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null) {
        assertThat(value.asText()).as(field).matches("([0-9a-f]{16}){1,2}");
        node.put(
            field, Base64.getEncoder().encodeToString(HexFormat.of().parseHex(value.asText())));
      }
    }
  }

  /**
   * Checks that {@code request} holds exactly {@code spans}, grouped by resource then scope in the
   * order first seen, and every field of every span.
   */
  static void assertRequestMatches(ExportTraceServiceRequest request, List<SpanData> spans) {
    Map<Attributes, Map<InstrumentationScope, List<SpanData>>> expected = new LinkedHashMap<>();
    for (SpanData span : spans) {
      expected
          .computeIfAbsent(span.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(span.scope(), s -> new ArrayList<>())
          .add(span);
    }
    assertThat(request.getResourceSpansCount()).isEqualTo(expected.size());
    int r = 0;
    for (Map.Entry<Attributes, Map<InstrumentationScope, List<SpanData>>> resource :
        expected.entrySet()) {
      ResourceSpans resourceSpans = request.getResourceSpans(r++);
      assertResource(resourceSpans.getResource(), resource.getKey());
      assertThat(resourceSpans.getSchemaUrl()).isEmpty();
      assertThat(resourceSpans.getScopeSpansCount()).isEqualTo(resource.getValue().size());
      int s = 0;
      for (Map.Entry<InstrumentationScope, List<SpanData>> scope : resource.getValue().entrySet()) {
        ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s++);
        assertThat(scopeSpans.getScope().getName()).isEqualTo(scope.getKey().name());
        assertThat(scopeSpans.getScope().getVersion()).isEqualTo(scope.getKey().version());
        assertThat(scopeSpans.getScope().getAttributesCount()).isZero();
        assertThat(scopeSpans.getSchemaUrl()).isEqualTo(scope.getKey().schemaUrl());
        assertThat(scopeSpans.getSpansCount()).isEqualTo(scope.getValue().size());
        for (int i = 0; i < scope.getValue().size(); i++) {
          assertSpan(scopeSpans.getSpans(i), scope.getValue().get(i));
        }
      }
    }
  }

  private static void assertResource(Resource resource, Attributes expected) {
    assertThat(decode(resource.getAttributesList())).isEqualTo(expected(expected));
    assertThat(resource.getDroppedAttributesCount()).isZero();
  }

  static void assertSpan(Span span, SpanData data) {
    String what = "span '" + data.name() + "'";
    SpanContext context = data.spanContext();
    assertThat(hex(span.getTraceId())).as(what).isEqualTo(context.getTraceId());
    assertThat(span.getTraceId()).isEqualTo(bytes(data.traceIdHigh(), data.traceIdLow()));
    assertThat(hex(span.getSpanId())).as(what).isEqualTo(context.getSpanId());
    assertThat(span.getTraceState()).as(what).isEqualTo(traceStateHeader(context));
    assertThat(span.getParentSpanId())
        .as(what)
        .isEqualTo(data.parentSpanId() == 0 ? ByteString.EMPTY : bytes(data.parentSpanId()));
    assertThat(span.getFlags())
        .as(what)
        .isEqualTo(expectedFlags(context.getTraceFlags().asByte(), data.hasRemoteParent()));
    assertThat(span.getName()).isEqualTo(utf8(data.name()));
    assertThat(span.getKind()).as(what).isEqualTo(KINDS.get(data.kind()));
    assertThat(span.getStartTimeUnixNano()).as(what).isEqualTo(data.startEpochNanos());
    assertThat(span.getEndTimeUnixNano()).as(what).isEqualTo(data.endEpochNanos());
    assertThat(decode(span.getAttributesList())).as(what).isEqualTo(expected(data));
    assertThat(span.getDroppedAttributesCount()).as(what).isEqualTo(data.droppedAttributeCount());
    assertThat(span.getEventsCount()).as(what).isEqualTo(data.events().size());
    for (int i = 0; i < data.events().size(); i++) {
      assertEvent(span.getEvents(i), data.events().get(i));
    }
    assertThat(span.getDroppedEventsCount()).as(what).isEqualTo(data.droppedEventCount());
    assertThat(span.getLinksCount()).as(what).isEqualTo(data.links().size());
    for (int i = 0; i < data.links().size(); i++) {
      assertLink(span.getLinks(i), data.links().get(i));
    }
    assertThat(span.getDroppedLinksCount()).as(what).isEqualTo(data.droppedLinkCount());
    if (data.statusCode() == StatusCode.UNSET && data.statusDescription().isEmpty()) {
      assertThat(span.hasStatus()).as(what).isFalse();
    } else {
      assertThat(span.getStatus().getCode())
          .as(what)
          .isEqualTo(STATUS_CODES.get(data.statusCode()));
      assertThat(span.getStatus().getMessage()).isEqualTo(utf8(data.statusDescription()));
    }
  }

  private static void assertEvent(Span.Event event, SpanEvent data) {
    assertThat(event.getTimeUnixNano()).isEqualTo(data.epochNanos());
    assertThat(event.getName()).isEqualTo(utf8(data.name()));
    assertThat(decode(event.getAttributesList())).isEqualTo(expected(data.attributes()));
    assertThat(event.getDroppedAttributesCount()).isEqualTo(data.droppedAttributeCount());
  }

  private static void assertLink(Span.Link link, SpanLink data) {
    SpanContext context = data.context();
    assertThat(hex(link.getTraceId())).isEqualTo(context.getTraceId());
    assertThat(hex(link.getSpanId())).isEqualTo(context.getSpanId());
    assertThat(link.getTraceState()).isEqualTo(traceStateHeader(context));
    assertThat(decode(link.getAttributesList())).isEqualTo(expected(data.attributes()));
    assertThat(link.getDroppedAttributesCount()).isEqualTo(data.droppedAttributeCount());
    assertThat(link.getFlags())
        .isEqualTo(expectedFlags(context.getTraceFlags().asByte(), context.isRemote()));
  }

  static int expectedFlags(byte traceFlags, boolean remote) {
    return (traceFlags & SpanFlags.SPAN_FLAGS_TRACE_FLAGS_MASK_VALUE)
        | SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK_VALUE
        | (remote ? SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK_VALUE : 0);
  }

  /** The {@code tracestate} header the W3C propagator writes for {@code context}, or "". */
  static String traceStateHeader(SpanContext context) {
    Map<String, String> headers = new HashMap<>();
    W3CTraceContextPropagator.getInstance()
        .inject(
            Context.root().with(io.opentelemetry.api.trace.Span.wrap(context)), headers, Map::put);
    return headers.getOrDefault("tracestate", "");
  }

  /** What a string reads as after UTF-8 encoding: lone surrogates become '?'. */
  static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  static ByteString bytes(long... ids) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * ids.length);
    for (long id : ids) {
      buffer.putLong(id);
    }
    return ByteString.copyFrom(buffer.array());
  }

  /** Attributes in order as (key, plain Java value) pairs. */
  static List<Map.Entry<String, Object>> decode(
      List<io.opentelemetry.proto.common.v1.KeyValue> kvs) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    for (io.opentelemetry.proto.common.v1.KeyValue kv : kvs) {
      entries.add(Map.entry(kv.getKey(), decode(kv.getValue())));
    }
    return entries;
  }

  static Object decode(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream().map(OtlpAssertions::decode).toList();
      case KVLIST_VALUE -> decode(value.getKvlistValue().getValuesList());
      case BYTES_VALUE -> new Bytes(hex(value.getBytesValue()));
      case VALUE_NOT_SET -> new Empty();
      default -> throw new AssertionError("unexpected " + value);
    };
  }

  /** A span's attributes as {@link #decode} gives them. */
  static List<Map.Entry<String, Object>> expected(SpanData data) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    for (int i = 0; i < data.attributeCount(); i++) {
      entries.add(Map.entry(utf8(data.attributeKey(i)), expectedValue(data.attributeValue(i))));
    }
    return entries;
  }

  static List<Map.Entry<String, Object>> expected(Attributes attributes) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    attributes.forEach(
        (key, value) -> entries.add(Map.entry(utf8(key.getKey()), expectedValue(value))));
    return entries;
  }

  private static Object expectedValue(Object value) {
    if (value instanceof String s) {
      return utf8(s);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(OtlpAssertions::expectedValue).toList();
    }
    if (value instanceof Value<?> v) {
      return switch (v.getType()) {
        case STRING, BOOLEAN, LONG, DOUBLE -> expectedValue(v.getValue());
        case ARRAY -> expectedValue(v.getValue());
        case KEY_VALUE_LIST ->
            ((List<?>) v.getValue())
                .stream()
                    .map(e -> (KeyValue) e)
                    .map(kv -> Map.entry(utf8(kv.getKey()), expectedValue(kv.getValue())))
                    .toList();
        case BYTES -> {
          ByteBuffer buffer = ((ByteBuffer) v.getValue()).duplicate();
          byte[] copy = new byte[buffer.remaining()];
          buffer.get(copy);
          yield new Bytes(HexFormat.of().formatHex(copy));
        }
        case EMPTY -> new Empty();
      };
    }
    return value; // Long, Double, Boolean compare as they are
  }

  record Bytes(String hex) {}

  record Empty() {}
}
