package dev.skein.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.sdk.export.InMemorySpanExporter;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Instrumented code sees only the OpenTelemetry API; skein-sdk records behind it. */
class GlobalApiTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  @AfterEach
  void resetGlobal() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void codeWrittenAgainstTheApiOnly_producesCorrectSpans() {
    SkeinSdk sdk = SkeinSdk.builder().setServiceName("orders").addSpanExporter(exporter).build();
    sdk.registerGlobal();

    String incomingTraceparent = handleRequestUsingOnlyTheApi();

    sdk.close();
    List<SpanData> spans = exporter.finishedSpans();
    assertThat(spans).extracting(SpanData::name).containsExactly("db.query", "GET /orders");
    SpanData server = spans.get(1);
    SpanData db = spans.get(0);
    assertThat(server.spanContext().getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(server.parentSpanId()).isEqualTo(0x00f067aa0ba902b7L);
    assertThat(server.hasRemoteParent()).isTrue();
    assertThat(server.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(server.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server.attributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(503L);
    assertThat(db.parentSpanId()).isEqualTo(server.spanId());
    assertThat(db.resource().get(AttributeKey.stringKey("service.name"))).isEqualTo("orders");
    assertThat(incomingTraceparent)
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-" + db.spanContext().getSpanId());
  }

  /** Extracts the caller's context, records two nested spans, returns the outgoing header. */
  private static String handleRequestUsingOnlyTheApi() {
    Map<String, String> headers =
        Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    TextMapGetter<Map<String, String>> getter =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
          }

          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }
        };
    Context extracted =
        GlobalOpenTelemetry.getPropagators()
            .getTextMapPropagator()
            .extract(Context.current(), headers, getter);

    Tracer tracer = GlobalOpenTelemetry.getTracer("orders-api", "2.0");
    Span server =
        tracer
            .spanBuilder("GET /orders")
            .setParent(extracted)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    Map<String, String> outgoing = new HashMap<>();
    try (Scope ignored = server.makeCurrent()) {
      Span db = tracer.spanBuilder("db.query").setSpanKind(SpanKind.CLIENT).startSpan();
      try (Scope alsoIgnored = db.makeCurrent()) {
        GlobalOpenTelemetry.getPropagators()
            .getTextMapPropagator()
            .inject(Context.current(), outgoing, Map::put);
      } finally {
        db.end();
      }
      Span.current().setAttribute("http.response.status_code", 503L);
      Span.current().setStatus(StatusCode.ERROR, "upstream unavailable");
    } finally {
      server.end();
    }
    return outgoing.get("traceparent");
  }
}
