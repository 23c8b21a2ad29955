package dev.skein.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.skein.benchmarks.load.TraceGenerator.GeneratedSpan;
import dev.skein.benchmarks.load.TraceGenerator.Instance;
import dev.skein.benchmarks.load.TraceGenerator.Kind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes generated traces into request templates: an OTLP {@code ExportTraceServiceRequest} built
 * with the official protobuf messages, and a Zipkin v2 JSON span list carrying the same spans.
 */
final class Encodings {

  private static final JsonFactory JSON = new JsonFactory();

  private Encodings() {}

  /** OTLP protobuf, one {@code ResourceSpans} per service instance, as an SDK's batch would be. */
  static RequestTemplate otlp(List<List<GeneratedSpan>> traces) {
    Map<Instance, List<GeneratedSpan>> byInstance = new LinkedHashMap<>();
    for (List<GeneratedSpan> trace : traces) {
      for (GeneratedSpan span : trace) {
        byInstance.computeIfAbsent(span.instance(), i -> new ArrayList<>()).add(span);
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<Instance, List<GeneratedSpan>> e : byInstance.entrySet()) {
      Instance instance = e.getKey();
      ScopeSpans.Builder scope =
          ScopeSpans.newBuilder()
              .setScope(
                  InstrumentationScope.newBuilder()
                      .setName("com.example.shop")
                      .setVersion(instance.version()));
      for (GeneratedSpan span : e.getValue()) {
        scope.addSpans(otlpSpan(span));
      }
      request.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(keyValue("service.name", instance.service()))
                      .addAttributes(keyValue("service.version", instance.version()))
                      .addAttributes(keyValue("host.name", instance.hostName()))
                      .addAttributes(keyValue("telemetry.sdk.language", "java")))
              .addScopeSpans(scope)
              .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0"));
    }
    return RequestTemplate.locate(
        request.build().toByteArray(),
        traceIds(traces),
        spanCounts(traces),
        RequestTemplate.IdFormat.RAW);
  }

  private static Span otlpSpan(GeneratedSpan span) {
    Span.Builder builder =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(span.traceId()))
            .setSpanId(ByteString.copyFrom(span.spanId()))
            .setName(span.name())
            .setKind(
                switch (span.kind()) {
                  case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
                  case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
                  case INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
                })
            .setStartTimeUnixNano(span.startNanos())
            .setEndTimeUnixNano(span.endNanos())
            .setFlags(0x101); // sampled, and the parent's remoteness is known
    if (span.parentSpanId() != null) {
      builder.setParentSpanId(ByteString.copyFrom(span.parentSpanId()));
    }
    for (Map.Entry<String, Object> a : span.attributes().entrySet()) {
      builder.addAttributes(keyValue(a.getKey(), a.getValue()));
    }
    if (span.error()) {
      builder.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage(span.statusMessage()));
    }
    return builder.build();
  }

  private static KeyValue keyValue(String key, Object value) {
    AnyValue.Builder any = AnyValue.newBuilder();
    if (value instanceof String s) {
      any.setStringValue(s);
    } else if (value instanceof Long l) {
      any.setIntValue(l);
    } else if (value instanceof Boolean b) {
      any.setBoolValue(b);
    } else if (value instanceof Double d) {
      any.setDoubleValue(d);
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value);
    }
    return KeyValue.newBuilder().setKey(key).setValue(any).build();
  }

  /**
   * Zipkin v2 JSON as Zipkin's own reporters send it: microsecond times, ids in hex, kind only for
   * client and server spans, every attribute a string tag, {@code error} set on failed spans.
   */
  static RequestTemplate zipkinJson(List<List<GeneratedSpan>> traces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartArray();
      for (List<GeneratedSpan> trace : traces) {
        for (GeneratedSpan span : trace) {
          writeZipkinSpan(json, span);
        }
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return RequestTemplate.locate(
        out.toByteArray(), traceIds(traces), spanCounts(traces), RequestTemplate.IdFormat.HEX);
  }

  private static void writeZipkinSpan(JsonGenerator json, GeneratedSpan span) throws IOException {
    json.writeStartObject();
    json.writeStringField("traceId", hex(span.traceId()));
    if (span.parentSpanId() != null) {
      json.writeStringField("parentId", hex(span.parentSpanId()));
    }
    json.writeStringField("id", hex(span.spanId()));
    if (span.kind() != Kind.INTERNAL) {
      json.writeStringField("kind", span.kind().name());
    }
    json.writeStringField("name", span.name());
    long startMicros = span.startNanos() / 1_000;
    json.writeNumberField("timestamp", startMicros);
    json.writeNumberField("duration", Math.max(1, span.endNanos() / 1_000 - startMicros));
    json.writeObjectFieldStart("localEndpoint");
    json.writeStringField("serviceName", span.instance().service());
    json.writeStringField("ipv4", span.instance().ipv4());
    json.writeEndObject();
    if (span.remoteService() != null) {
      json.writeObjectFieldStart("remoteEndpoint");
      json.writeStringField("serviceName", span.remoteService());
      json.writeEndObject();
    }
    json.writeObjectFieldStart("tags");
    for (Map.Entry<String, Object> a : span.attributes().entrySet()) {
      json.writeStringField(a.getKey(), String.valueOf(a.getValue()));
    }
    if (span.error()) {
      json.writeStringField("error", span.statusMessage());
    }
    json.writeEndObject();
    json.writeEndObject();
  }

  private static List<byte[]> traceIds(List<List<GeneratedSpan>> traces) {
    List<byte[]> ids = new ArrayList<>(traces.size());
    for (List<GeneratedSpan> trace : traces) {
      ids.add(trace.get(0).traceId());
    }
    return ids;
  }

  private static int[] spanCounts(List<List<GeneratedSpan>> traces) {
    return traces.stream().mapToInt(List::size).toArray();
  }

  private static String hex(byte[] raw) {
    return new String(RequestTemplate.hex(raw), java.nio.charset.StandardCharsets.US_ASCII);
  }
}
