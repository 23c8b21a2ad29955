package dev.skein.exporter.otlp;

import static io.opentelemetry.api.common.AttributeKey.booleanArrayKey;
import static io.opentelemetry.api.common.AttributeKey.doubleArrayKey;
import static io.opentelemetry.api.common.AttributeKey.longArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanLimits;
import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real spans from the Skein SDK, covering every field the encoders write. */
final class TestSpans {

  static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  static final String TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

  /** 200 chars, 300 UTF-8 bytes: a length prefix of two bytes. */
  static final String LONG_STRING = "aé".repeat(100);

  /** More than 16 KiB of UTF-8: a length prefix of three bytes. */
  static final String HUGE_STRING = "x€😀".repeat(2500);

  static final String ESCAPES =
      "quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f nul\0 "
          + "ctl\u0001\u001f del\u007f seps\u2028\u2029 end";

  static final String NON_ASCII = "héllo wörld Σ 中文 😀 \uD83D\uDC4D";

  /** A high surrogate with no low one after it, and a low one with no high one before it. */
  static final String LONE_SURROGATES = "a\uD800b\uDC00c\uD83D";

  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
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

  private TestSpans() {}

  /** An SDK exporting into {@code exporter} as it ends spans. */
  static SkeinSdk sdk(InMemorySpanExporter exporter, String serviceName, SpanLimits limits) {
    return SkeinSdk.builder()
        .setServiceName(serviceName)
        .putResourceAttribute("deployment.environment", "test é")
        .setSpanLimits(limits)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  /**
   * A varied batch from two services (two resources) and three scopes, spans of the two services
   * interleaved: every kind, a remote parent with a trace state, events, links, statuses, every
   * attribute type, strings needing escapes and multi-byte length prefixes, and dropped counts.
   */
  static List<SpanData> richBatch() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SpanLimits tight =
        SpanLimits.DEFAULT
            .withMaxAttributes(40)
            .withMaxEvents(3)
            .withMaxLinks(2)
            .withMaxAttributesPerEvent(2)
            .withMaxAttributesPerLink(1);
    try (SkeinSdk checkout = sdk(exporter, "checkout", tight);
        SkeinSdk payments = sdk(exporter, "payments", SpanLimits.DEFAULT)) {
      Tracer http =
          checkout
              .getTracerProvider()
              .tracerBuilder("io.example.http")
              .setInstrumentationVersion("1.2.3")
              .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
              .build();
      Tracer db = checkout.getTracerProvider().get("io.example.db");
      Tracer queue = payments.getTracerProvider().get("io.example.queue", "4.0");

      Context remote =
          checkout
              .getPropagators()
              .getTextMapPropagator()
              .extract(
                  Context.root(),
                  Map.of("traceparent", TRACEPARENT, "tracestate", TRACESTATE),
                  MAP_GETTER);
      Span server =
          http.spanBuilder("GET /cart/{id}")
              .setSpanKind(SpanKind.SERVER)
              .setParent(remote)
              .setStartTimestamp(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS)
              .startSpan();
      setEveryAttributeType(server);
      for (int i = 0; i < 45; i++) { // over the limit of 40: some dropped
        server.setAttribute("extra." + i, i);
      }
      server.addEvent(
          "exception",
          Attributes.builder()
              .put("exception.type", "java.lang.IllegalStateException")
              .put("exception.message", ESCAPES)
              .put("exception.escaped", true) // over the per-event limit of 2: dropped
              .build(),
          1_700_000_000_200_000_000L,
          TimeUnit.NANOSECONDS);
      server.addEvent("cache miss"); // no attributes
      server.addEvent("retry", Attributes.of(AttributeKey.longKey("attempt"), 2L));
      server.addEvent("dropped 1");
      server.addEvent("dropped 2");
      server.setStatus(StatusCode.ERROR, "cart not found: " + NON_ASCII);

      SpanContext otherTrace =
          SpanContext.createFromRemoteParent(
              "4bf92f3577b34da6a3ce929d0e0e4736",
              "00f067aa0ba902b7",
              TraceFlags.getDefault(),
              TraceState.builder().put("vendor", "v1").build());
      Span client =
          db.spanBuilder("SELECT carts")
              .setStartTimestamp(1_700_000_000_250_000_000L, TimeUnit.NANOSECONDS)
              .setSpanKind(SpanKind.CLIENT)
              .setParent(Context.root().with(server))
              .addLink(
                  otherTrace,
                  Attributes.builder().put("link.kind", "follows").put("dropped", 1L).build())
              .addLink(server.getSpanContext())
              .addLink(otherTrace) // over the limit of 2 links: dropped
              .startSpan();
      client.setAttribute("db.statement", HUGE_STRING);
      client.setAttribute("db.rows", 0L);
      client.setStatus(StatusCode.OK);
      client.end(1_700_000_000_300_000_000L, TimeUnit.NANOSECONDS);

      Span producer =
          queue
              .spanBuilder("publish orders")
              .setSpanKind(SpanKind.PRODUCER)
              .setNoParent()
              .startSpan();
      producer.setAttribute("messaging.system", "kafka");
      producer.end();

      Span internal =
          db.spanBuilder("validate")
              .setSpanKind(SpanKind.INTERNAL)
              .setParent(Context.root().with(server))
              .startSpan(); // no attributes
      internal.end();

      Span consumer =
          queue
              .spanBuilder(LONE_SURROGATES)
              .setSpanKind(SpanKind.CONSUMER)
              .setParent(remote)
              .startSpan();
      consumer.setAttribute(LONE_SURROGATES, LONE_SURROGATES);
      consumer.end();

      server.end(1_700_000_000_400_000_000L, TimeUnit.NANOSECONDS);
    }
    return exporter.finishedSpans();
  }

  private static void setEveryAttributeType(Span span) {
    span.setAttribute("http.method", "GET");
    span.setAttribute("empty", "");
    span.setAttribute("http.status_code", 404L);
    span.setAttribute("zero", 0L);
    span.setAttribute("negative", -1L);
    span.setAttribute("long.min", Long.MIN_VALUE);
    span.setAttribute("long.max", Long.MAX_VALUE);
    span.setAttribute("sampled", true);
    span.setAttribute("cached", false);
    span.setAttribute("ratio", 0.25);
    span.setAttribute("double.zero", 0.0);
    span.setAttribute("double.whole", 3.0);
    span.setAttribute("double.tiny", 1e-300);
    span.setAttribute("double.huge", 1.7976931348623157e308);
    span.setAttribute("double.big.whole", 1e17);
    span.setAttribute("double.nan", Double.NaN);
    span.setAttribute("double.inf", Double.POSITIVE_INFINITY);
    span.setAttribute("double.ninf", Double.NEGATIVE_INFINITY);
    span.setAttribute(stringArrayKey("strings"), List.of("a", "", NON_ASCII));
    span.setAttribute(longArrayKey("longs"), List.of(1L, -2L, 0L, Long.MAX_VALUE));
    span.setAttribute(booleanArrayKey("booleans"), List.of(true, false));
    // No -0.0 here: protobuf-java-util's JSON parser reads it as 0.0; tested on its own.
    span.setAttribute(doubleArrayKey("doubles"), List.of(1.5, 0.0, Double.NaN));
    span.setAttribute(stringArrayKey("empty.array"), List.of());
    span.setAttribute("long.string", LONG_STRING);
    span.setAttribute("huge.string", HUGE_STRING);
    span.setAttribute("escapes", ESCAPES);
    span.setAttribute(NON_ASCII, NON_ASCII);
    span.setAttribute(stringKey("lone.surrogates"), LONE_SURROGATES);
    span.setAttribute(
        AttributeKey.valueKey("value.map"),
        Value.of(
            KeyValue.of("bytes", Value.of(new byte[] {0, 1, (byte) 0xff})),
            KeyValue.of("list", Value.of(Value.of("s"), Value.of(7L), Value.of(2.5))),
            KeyValue.of("bool", Value.of(true)),
            KeyValue.of("empty", Value.empty())));
  }
}
