package dev.skein.exporter.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zipkin2.Annotation;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.codec.SpanBytesDecoder;

/**
 * Both encoders, checked by decoding their bytes with Zipkin's own decoders ({@link
 * SpanBytesDecoder}): whatever we write must mean, to Zipkin, what the span said.
 */
class ZipkinEncodersTest {

  enum Codec {
    JSON(new ZipkinJsonEncoder()::encode, SpanBytesDecoder.JSON_V2),
    PROTO3(new ZipkinProtoEncoder()::encode, SpanBytesDecoder.PROTO3);

    final Function<List<? extends SpanData>, byte[]> encoder;
    final SpanBytesDecoder decoder;

    Codec(Function<List<? extends SpanData>, byte[]> encoder, SpanBytesDecoder decoder) {
      this.encoder = encoder;
      this.decoder = decoder;
    }

    List<Span> roundTrip(List<? extends SpanData> spans) {
      return decoder.decodeList(encoder.apply(spans));
    }

    Span roundTrip(SpanData span) {
      List<Span> decoded = roundTrip(List.of(span));
      assertThat(decoded).hasSize(1);
      return decoded.get(0);
    }
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void sdkSpansDecodeToWhatTheyMean(Codec codec) {
    SampleTrace trace =
        SampleTrace.record("4bf92f3577b34da6a3ce929d0e0e4736", 1_700_000_000_123_456_000L);

    assertThat(codec.roundTrip(trace.spans())).containsExactlyElementsOf(trace.expected());
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void idsKindNameAndTimes(Codec codec) {
    TestSpan span = new TestSpan();
    span.parentSpanId = 0x00f067aa0ba902b7L;
    span.kind = SpanKind.CONSUMER;
    span.startEpochNanos = 1_700_000_000_000_001_999L;
    span.endEpochNanos = 1_700_000_000_000_042_000L;

    Span decoded = codec.roundTrip(span);

    assertThat(decoded.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(decoded.id()).isEqualTo("b7ad6b7169203331");
    assertThat(decoded.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(decoded.kind()).isEqualTo(Span.Kind.CONSUMER);
    assertThat(decoded.name()).isEqualTo("get /orders");
    assertThat(decoded.timestampAsLong()).isEqualTo(1_700_000_000_000_001L); // truncated
    assertThat(decoded.durationAsLong()).isEqualTo(42 - 1);
    assertThat(decoded.localServiceName()).isEqualTo("checkout");
    assertThat(decoded.remoteEndpoint()).isNull();
    assertThat(decoded.annotations()).isEmpty();
    assertThat(decoded.tags()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void everyKindMapsAndInternalIsLeftOut(Codec codec) {
    Map<SpanKind, Span.Kind> kinds =
        Map.of(
            SpanKind.SERVER, Span.Kind.SERVER,
            SpanKind.CLIENT, Span.Kind.CLIENT,
            SpanKind.PRODUCER, Span.Kind.PRODUCER,
            SpanKind.CONSUMER, Span.Kind.CONSUMER);
    kinds.forEach(
        (otel, zipkin) -> {
          TestSpan span = new TestSpan();
          span.kind = otel;
          assertThat(codec.roundTrip(span).kind()).isEqualTo(zipkin);
        });
    TestSpan internal = new TestSpan();
    internal.kind = SpanKind.INTERNAL;
    assertThat(codec.roundTrip(internal).kind()).isNull();
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void rootHasNoParentAndShortSpansLastOneMicrosecond(Codec codec) {
    TestSpan span = new TestSpan();
    span.startEpochNanos = 1_700_000_000_000_000_100L;
    span.endEpochNanos = 1_700_000_000_000_000_900L;

    Span decoded = codec.roundTrip(span);

    assertThat(decoded.parentId()).isNull();
    assertThat(decoded.durationAsLong()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void aTraceIdWithZeroHighHalfIsStillItself(Codec codec) {
    TestSpan span = new TestSpan();
    span.traceIdHigh = 0;
    span.traceIdLow = 0x1234L;

    // Zipkin keeps a 128-bit id whose high half is zero as its 64-bit form.
    assertThat(codec.roundTrip(span).traceId()).isEqualTo("0000000000001234");
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void serviceNameComesFromTheResourceWithTheSdkDefaultAsFallback(Codec codec) {
    TestSpan named = new TestSpan();
    named.resource =
        Attributes.builder().put("service.name", "billing").put("host.name", "h1").build();
    TestSpan unnamed = new TestSpan();
    unnamed.resource = Attributes.of(AttributeKey.stringKey("host.name"), "h1");

    assertThat(codec.roundTrip(named).localEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("billing").build());
    assertThat(codec.roundTrip(unnamed).localServiceName()).isEqualTo("unknown_service:java");
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void attributesBecomeStringTags(Codec codec) {
    TestSpan span =
        new TestSpan()
            .attribute("s", "text")
            .attribute("b", true)
            .attribute("l", -42L)
            .attribute("d", 1.5)
            .attribute("d.big", 1e20)
            .attribute("d.nan", Double.NaN)
            .attribute("sa", List.of("a", "b\"c", "\\"))
            .attribute("ba", List.of(true, false))
            .attribute("la", List.of(1L, 2L))
            .attribute("da", List.of(0.5, 2.0, Double.POSITIVE_INFINITY))
            .attribute("empty", List.of());

    assertThat(codec.roundTrip(span).tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("s", "text"),
                Map.entry("b", "true"),
                Map.entry("l", "-42"),
                Map.entry("d", "1.5"),
                Map.entry("d.big", "1.0E20"),
                Map.entry("d.nan", "NaN"),
                Map.entry("sa", "[\"a\",\"b\\\"c\",\"\\\\\"]"),
                Map.entry("ba", "[true,false]"),
                Map.entry("la", "[1,2]"),
                Map.entry("da", "[0.5,2.0,\"Infinity\"]"),
                Map.entry("empty", "[]")));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void arrayTagsAreJson(Codec codec) throws Exception {
    TestSpan span =
        new TestSpan()
            .attribute("sa", List.of("a\n", "\u00e9\u2028"))
            .attribute("da", List.of(0.5, 1e-7));

    Map<String, String> tags = codec.roundTrip(span).tags();

    ObjectMapper json = new ObjectMapper();
    TypeReference<List<Object>> list = new TypeReference<>() {};
    assertThat(json.readValue(tags.get("sa"), list)).isEqualTo(List.of("a\n", "\u00e9\u2028"));
    assertThat(json.readValue(tags.get("da"), list)).isEqualTo(List.of(0.5, 1e-7));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void errorStatusSetsTheErrorTagToItsDescription(Codec codec) {
    TestSpan failed = new TestSpan();
    failed.status = StatusCode.ERROR;
    failed.statusDescription = "db timeout";
    TestSpan failedSilently = new TestSpan();
    failedSilently.status = StatusCode.ERROR;
    failedSilently.attribute("error", "from an attribute");

    assertThat(codec.roundTrip(failed).tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("otel.status_code", "ERROR", "error", "db timeout"));
    // The status wins over an error attribute, and an empty description is still an error.
    assertThat(codec.roundTrip(failedSilently).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("otel.status_code", "ERROR", "error", ""));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void okAndUnsetStatusesSetNoErrorTag(Codec codec) {
    TestSpan ok = new TestSpan();
    ok.status = StatusCode.OK;
    ok.statusDescription = "ignored for OK";
    TestSpan unset = new TestSpan();

    assertThat(codec.roundTrip(ok).tags()).isEqualTo(Map.of("otel.status_code", "OK"));
    assertThat(codec.roundTrip(unset).tags()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void aFalseErrorAttributeIsDroppedSinceZipkinWouldReadItAsFailure(Codec codec) {
    TestSpan falseBool = new TestSpan().attribute("error", false);
    TestSpan falseText = new TestSpan().attribute("error", "false");
    TestSpan realError = new TestSpan().attribute("error", "socket closed");

    assertThat(codec.roundTrip(falseBool).tags()).isEmpty();
    assertThat(codec.roundTrip(falseText).tags()).isEmpty();
    assertThat(codec.roundTrip(realError).tags()).isEqualTo(Map.of("error", "socket closed"));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void scopeAndDroppedCountsBecomeTagsThatWinOverAttributesOfTheSameKey(Codec codec) {
    TestSpan span =
        new TestSpan()
            .attribute("otel.scope.name", "spoofed")
            .attribute("otel.status_code", "spoofed")
            .attribute("otel.dropped_links_count", "kept: no links were dropped");
    span.scope = new InstrumentationScope("io.example.http", "2.0.1", "https://schema");
    span.status = StatusCode.OK;
    span.droppedAttributes = 3;
    span.droppedEvents = 2;

    assertThat(codec.roundTrip(span).tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "otel.scope.name", "io.example.http",
                "otel.scope.version", "2.0.1",
                "otel.status_code", "OK",
                "otel.dropped_attributes_count", "3",
                "otel.dropped_events_count", "2",
                "otel.dropped_links_count", "kept: no links were dropped"));

    span.droppedLinks = 1;
    assertThat(codec.roundTrip(span).tags()).containsEntry("otel.dropped_links_count", "1");
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void eventsBecomeAnnotations(Codec codec) throws Exception {
    long at = TestSpan.START + 1_000_999;
    TestSpan span =
        new TestSpan()
            .event("cache.miss", at, Attributes.empty())
            .event(
                "say \"hi\"",
                at + 1000,
                Attributes.builder()
                    .put("text", "line\nbreak")
                    .put("n", 3L)
                    .put("ok", true)
                    .put("ratio", 0.5)
                    .put(AttributeKey.longArrayKey("list"), List.of(1L, 2L))
                    .build());

    List<Annotation> annotations = codec.roundTrip(span).annotations();

    long micros = at / 1000;
    assertThat(annotations).hasSize(2);
    assertThat(annotations.get(0)).isEqualTo(Annotation.create(micros, "cache.miss"));
    Annotation withAttributes = annotations.get(1);
    assertThat(withAttributes.timestamp()).isEqualTo(micros + 1);
    // "name":{attributes}: wrapped in braces it is one JSON object, so it can be read back.
    JsonNode parsed = new ObjectMapper().readTree("{" + withAttributes.value() + "}");
    JsonNode attributes = parsed.get("say \"hi\"");
    assertThat(attributes).isNotNull();
    assertThat(attributes.get("text").asText()).isEqualTo("line\nbreak");
    assertThat(attributes.get("n").isIntegralNumber()).isTrue();
    assertThat(attributes.get("n").asLong()).isEqualTo(3);
    assertThat(attributes.get("ok").asBoolean()).isTrue();
    assertThat(attributes.get("ratio").asDouble()).isEqualTo(0.5);
    assertThat(attributes.get("list").toString()).isEqualTo("[1,2]");
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void clientSpansNameTheirPeerInTheRemoteEndpoint(Codec codec) {
    TestSpan byPeerService =
        new TestSpan()
            .attribute("server.address", "db.internal")
            .attribute("peer.service", "orders-db")
            .attribute("server.port", 5432L)
            .attribute("network.peer.port", 6000L)
            .attribute("network.peer.address", "10.1.2.3");
    byPeerService.kind = SpanKind.CLIENT;
    TestSpan byServerAddress =
        new TestSpan().attribute("net.peer.name", "old").attribute("server.address", "api.host");
    byServerAddress.kind = SpanKind.PRODUCER;
    TestSpan byIpv6Only =
        new TestSpan()
            .attribute("network.peer.address", "2001:db8::1")
            .attribute("net.peer.port", 80L);
    byIpv6Only.kind = SpanKind.CLIENT;

    assertThat(codec.roundTrip(byPeerService).remoteEndpoint())
        .isEqualTo(
            Endpoint.newBuilder().serviceName("orders-db").ip("10.1.2.3").port(6000).build());
    assertThat(codec.roundTrip(byServerAddress).remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().serviceName("api.host").build());
    assertThat(codec.roundTrip(byIpv6Only).remoteEndpoint())
        .isEqualTo(Endpoint.newBuilder().ip("2001:db8::1").port(80).build());
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void noRemoteEndpointWithoutAPeerOrForServerSpans(Codec codec) {
    TestSpan server = new TestSpan().attribute("peer.service", "caller");
    server.kind = SpanKind.SERVER;
    TestSpan portOnly = new TestSpan().attribute("server.port", 443L);
    portOnly.kind = SpanKind.CLIENT;
    TestSpan hostNameAsAddress =
        new TestSpan().attribute("network.peer.address", "not-an-ip.example");
    hostNameAsAddress.kind = SpanKind.CLIENT;

    assertThat(codec.roundTrip(server).remoteEndpoint()).isNull();
    assertThat(codec.roundTrip(portOnly).remoteEndpoint()).isNull();
    assertThat(codec.roundTrip(hostNameAsAddress).remoteEndpoint()).isNull();
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void textSurvivesWhateverItHolds(Codec codec) {
    String text = "caf\u00e9 \u65e5\u672c \ud83d\ude00 \"q\" \\ \u0001 \t\r\n \u2028";
    TestSpan span =
        new TestSpan().attribute(text, text).event(text, TestSpan.START, Attributes.empty());
    span.name = "op " + text;
    span.resource = Attributes.of(AttributeKey.stringKey("service.name"), "svc " + text);

    Span decoded = codec.roundTrip(span);

    assertThat(decoded.tags()).isEqualTo(Map.of(text, text));
    assertThat(decoded.annotations().get(0).value()).isEqualTo(text);
    // Zipkin keeps names lowercase; the characters themselves arrive intact.
    assertThat(decoded.name()).isEqualTo(("op " + text).toLowerCase(java.util.Locale.ROOT));
    assertThat(decoded.localServiceName())
        .isEqualTo(("svc " + text).toLowerCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void largeBatchesOfLargeSpansRoundTrip(Codec codec) {
    List<TestSpan> spans = new ArrayList<>();
    String big = "x".repeat(70_000); // lengths needing three varint bytes
    for (int i = 1; i <= 500; i++) {
      TestSpan span = new TestSpan().attribute("i", (long) i);
      span.spanId = i;
      if (i % 100 == 0) {
        span.attribute("big", big);
      }
      spans.add(span);
    }

    List<Span> decoded = codec.roundTrip(spans);

    assertThat(decoded).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(decoded.get(i).id()).isEqualTo(String.format("%016x", i + 1));
      assertThat(decoded.get(i).tags().get("i")).isEqualTo(Integer.toString(i + 1));
    }
    assertThat(decoded.get(99).tags().get("big")).isEqualTo(big);
  }

  @ParameterizedTest
  @EnumSource(Codec.class)
  void anEmptyBatchIsAnEmptyList(Codec codec) {
    assertThat(codec.roundTrip(List.of())).isEmpty();
  }
}
