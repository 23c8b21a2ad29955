package dev.skein.exporter.otlp;

import static dev.skein.exporter.otlp.OtlpAssertions.assertRequestMatches;
import static dev.skein.exporter.otlp.OtlpAssertions.parseProto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanLimits;
import dev.skein.sdk.export.InMemorySpanExporter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class OtlpProtoEncoderTest {

  private final OtlpProtoEncoder encoder = new OtlpProtoEncoder();

  @Test
  void everyFieldOfEverySpan_decodesWithTheOfficialClasses() throws Exception {
    List<SpanData> spans = TestSpans.richBatch();

    ExportTraceServiceRequest request = parseProto(encoder.encode(spans));

    assertRequestMatches(request, spans);
  }

  @Test
  void richBatch_exercisesWhatItIsMeantTo() throws Exception {
    // Guards the fixture: each of these would make the field-by-field test weaker if lost.
    List<SpanData> spans = TestSpans.richBatch();
    SpanData server = byName(spans, "GET /cart/{id}");
    SpanData client = byName(spans, "SELECT carts");

    assertThat(spans)
        .extracting(SpanData::kind)
        .containsOnly(io.opentelemetry.api.trace.SpanKind.values());
    assertThat(server.hasRemoteParent()).isTrue();
    assertThat(server.spanContext().getTraceState().isEmpty()).isFalse();
    assertThat(server.droppedAttributeCount()).isPositive();
    assertThat(server.droppedEventCount()).isPositive();
    assertThat(server.events().get(0).droppedAttributeCount()).isPositive();
    assertThat(client.droppedLinkCount()).isPositive();
    assertThat(client.links().get(0).droppedAttributeCount()).isPositive();
    assertThat(client.links())
        .extracting(link -> link.context().isRemote())
        .containsExactly(true, false);
    assertThat(spans.stream().map(SpanData::resource).distinct()).hasSize(2);
    assertThat(spans.stream().map(SpanData::scope).distinct()).hasSize(3);
  }

  @Test
  void groupsByResourceThenScope_inTheOrderFirstSeen() throws Exception {
    // Ended in this order: client (checkout, db), producer (payments, queue), internal (checkout,
    // db), consumer (payments, queue), server (checkout, http).
    ExportTraceServiceRequest request = parseProto(encoder.encode(TestSpans.richBatch()));

    assertThat(request.getResourceSpansList())
        .extracting(OtlpProtoEncoderTest::serviceName)
        .containsExactly("checkout", "payments");
    ResourceSpans checkout = request.getResourceSpans(0);
    assertThat(checkout.getScopeSpansList())
        .extracting(scopeSpans -> scopeSpans.getScope().getName())
        .containsExactly("io.example.db", "io.example.http");
    assertThat(checkout.getScopeSpans(0).getSpansList())
        .extracting(Span::getName)
        .containsExactly("SELECT carts", "validate");
    ScopeSpans http = checkout.getScopeSpans(1);
    assertThat(http.getScope().getVersion()).isEqualTo("1.2.3");
    assertThat(http.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.24.0");
    assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansList())
        .extracting(Span::getName)
        .containsExactly("publish orders", OtlpAssertions.utf8(TestSpans.LONE_SURROGATES));
  }

  @Test
  void equalResourcesAndScopesHeldByDifferentObjects_shareOneGroup() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SkeinSdk first = TestSpans.sdk(exporter, "same", SpanLimits.DEFAULT);
        SkeinSdk second = TestSpans.sdk(exporter, "same", SpanLimits.DEFAULT)) {
      first.getTracerProvider().get("lib", "1").spanBuilder("a").startSpan().end();
      second.getTracerProvider().get("lib", "1").spanBuilder("b").startSpan().end();
      first.getTracerProvider().get("lib", "2").spanBuilder("c").startSpan().end();
      second.getTracerProvider().get("lib", "1").spanBuilder("d").startSpan().end();
    }
    List<SpanData> spans = exporter.finishedSpans();
    assertThat(spans.get(0).resource()).isNotSameAs(spans.get(1).resource());

    ExportTraceServiceRequest request = parseProto(encoder.encode(spans));

    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    assertThat(request.getResourceSpans(0).getScopeSpansList())
        .extracting(s -> s.getScope().getVersion() + ":" + names(s))
        .containsExactly("1:[a, b, d]", "2:[c]");
    assertRequestMatches(request, spans);
  }

  @Test
  void emptyBatch_isTheEmptyRequest() throws Exception {
    byte[] bytes = encoder.encode(List.of());

    assertThat(bytes).isEmpty();
    assertThat(parseProto(bytes)).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  @Test
  void batchOf512Spans_keepsEverySpanInOrder() throws Exception {
    List<SpanData> spans = manySpans(512);

    ExportTraceServiceRequest request = parseProto(encoder.encode(spans));

    List<Span> decoded = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
    assertThat(decoded).hasSize(512);
    assertRequestMatches(request, spans);
  }

  @Test
  void longStringsAndMessages_getMultiByteLengthPrefixes() throws Exception {
    // A 300-byte string and a > 16 KiB one: two- and three-byte lengths for the strings, their
    // KeyValue and AnyValue, the span, and the ScopeSpans and ResourceSpans around them.
    List<SpanData> spans = TestSpans.richBatch();
    ExportTraceServiceRequest request = parseProto(encoder.encode(spans));

    Span client = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(client.getAttributes(0).getValue().getStringValue())
        .isEqualTo(TestSpans.HUGE_STRING);
    assertThat(client.getSerializedSize()).isGreaterThan(16384);
  }

  @Test
  void encodeIntoBuffer_appendsAfterWhatIsThere_andMatchesTheByteArrayForm() {
    List<SpanData> spans = TestSpans.richBatch();
    byte[] alone = encoder.encode(spans);
    WireBuffer buffer = new WireBuffer(16);
    buffer.writeAscii("prefix");

    encoder.encode(spans, buffer);

    byte[] all = buffer.toByteArray();
    assertThat(new String(all, 0, 6, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("prefix");
    assertThat(java.util.Arrays.copyOfRange(all, 6, all.length)).isEqualTo(alone);
  }

  @Test
  void anyCollection_encodesLikeAList() {
    List<SpanData> spans = TestSpans.richBatch();

    assertThat(encoder.encode(new ArrayDeque<>(spans))).isEqualTo(encoder.encode(spans));
  }

  @Test
  void doubles_keepTheirExactBits() throws Exception {
    SpanData span = manySpans(1).get(0);
    for (double value : new double[] {-0.0, Double.NaN, Double.MIN_VALUE, -Double.MAX_VALUE}) {
      SpanData withValue = replacing(span, "attributeValue", v -> value);

      Span decoded =
          parseProto(encoder.encode(List.of(withValue)))
              .getResourceSpans(0)
              .getScopeSpans(0)
              .getSpans(0);

      assertThat(Double.doubleToRawLongBits(decoded.getAttributes(0).getValue().getDoubleValue()))
          .isEqualTo(Double.doubleToRawLongBits(value));
    }
  }

  @Test
  void attributeValueOfAnUnknownType_failsNamingTheAttribute() {
    SpanData span = manySpans(1).get(0);
    SpanData odd = replacing(span, "attributeValue", value -> 42); // an Integer

    assertThatThrownBy(() -> encoder.encode(List.of(odd)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attribute 'index'")
        .hasMessageContaining("java.lang.Integer");
  }

  @Test
  void spanWithoutResource_failsNamingTheSpan() {
    SpanData span = manySpans(1).get(0);
    SpanData odd = replacing(span, "resource", value -> null);

    assertThatThrownBy(() -> encoder.encode(List.of(odd)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("span 'span 0' has no resource");
  }

  /** {@code count} spans with a few attributes each, from one tracer. */
  static List<SpanData> manySpans(int count) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SkeinSdk sdk = TestSpans.sdk(exporter, "many", SpanLimits.DEFAULT)) {
      Tracer tracer = sdk.getTracerProvider().get("bulk");
      for (int i = 0; i < count; i++) {
        tracer
            .spanBuilder("span " + i)
            .setAttribute("index", i)
            .setAttribute("even", i % 2 == 0)
            .setAttribute("path", "/items/" + i)
            .setAttribute("weight", i / 3.0)
            .startSpan()
            .end();
      }
    }
    return exporter.finishedSpans();
  }

  /** {@code span} with one method's result passed through {@code change}. */
  static SpanData replacing(SpanData span, String method, UnaryOperator<Object> change) {
    return (SpanData)
        Proxy.newProxyInstance(
            SpanData.class.getClassLoader(),
            new Class<?>[] {SpanData.class},
            (proxy, m, args) -> {
              try {
                Object result = m.invoke(span, args);
                return m.getName().equals(method) ? change.apply(result) : result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static SpanData byName(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  private static String serviceName(ResourceSpans resourceSpans) {
    return resourceSpans.getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals("service.name"))
        .findFirst()
        .orElseThrow()
        .getValue()
        .getStringValue();
  }

  private static String names(ScopeSpans scopeSpans) {
    return scopeSpans.getSpansList().stream().map(Span::getName).toList().toString();
  }
}
