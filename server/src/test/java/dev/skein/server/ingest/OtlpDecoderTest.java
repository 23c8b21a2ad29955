package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  @Test
  void randomRequests_decodeToTheDocumentedSpans_inProtobufAndEveryJsonFlavour() {
    int accepted = 0;
    int rejected = 0;
    for (long seed = 0; seed < 400; seed++) {
      ExportTraceServiceRequest request = new RandomOtlp(seed).request();
      ExpectedOtlp expected = ExpectedOtlp.of(request);
      String context = "seed " + seed;

      DecodedSpans protobuf = OtlpProtobufDecoder.decode(request.toByteArray(), NO_LIMIT);
      assertThat(protobuf.spans()).as(context).containsExactlyElementsOf(expected.spans);
      assertThat(protobuf.rejected()).as(context).isEqualTo(expected.rejected);
      assertThat(protobuf.firstRejection().isEmpty()).as(context).isEqualTo(expected.rejected == 0);

      for (boolean enumsAsInts : new boolean[] {true, false}) {
        for (boolean protoNames : new boolean[] {false, true}) {
          byte[] json = OtlpJsonText.of(request, enumsAsInts, protoNames);
          DecodedSpans decoded = OtlpJsonDecoder.decode(json, NO_LIMIT);
          String flavour = context + " " + new String(json, StandardCharsets.UTF_8);
          assertThat(decoded.spans()).as(flavour).containsExactlyElementsOf(expected.spans);
          assertThat(decoded.rejected()).as(flavour).isEqualTo(expected.rejected);
        }
      }
      accepted += expected.spans.size();
      rejected += expected.rejected;
    }
    // The generator reaches both outcomes often enough for the comparison to mean something.
    assertThat(accepted).isGreaterThan(2000);
    assertThat(rejected).isGreaterThan(200);
  }

  @Test
  void rejectedSpan_isNamedByItsPlace_andTheOthersAreKept() {
    ExportTraceServiceRequest request =
        request(span(1, 1), span(1, 2).setSpanId(ByteString.copyFrom(new byte[8])));
    for (DecodedSpans decoded :
        List.of(
            OtlpProtobufDecoder.decode(request.toByteArray(), NO_LIMIT),
            OtlpJsonDecoder.decode(OtlpJsonText.of(request, true, false), NO_LIMIT))) {
      assertThat(decoded.spans()).extracting(Span::spanId).containsExactly(1L);
      assertThat(decoded.rejected()).isEqualTo(1);
      assertThat(decoded.firstRejection())
          .isEqualTo("resourceSpans[0].scopeSpans[0].spans[1]: span id is all zeros");
    }
  }

  @Test
  void resourceAfterTheSpans_stillNamesTheService() throws IOException {
    // Protobuf allows any field order; write scope_spans (2) before resource (1) by hand.
    byte[] scopeSpans = ScopeSpans.newBuilder().addSpans(span(3, 4)).build().toByteArray();
    byte[] resource =
        Resource.newBuilder()
            .addAttributes(RandomOtlp.keyValue("service.name", RandomOtlp.string("late")))
            .build()
            .toByteArray();
    ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(resourceSpans);
    out.writeByteArray(2, scopeSpans);
    out.writeByteArray(1, resource);
    out.flush();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(body);
    out.writeByteArray(1, resourceSpans.toByteArray());
    out.flush();

    DecodedSpans decoded = OtlpProtobufDecoder.decode(body.toByteArray(), NO_LIMIT);
    assertThat(decoded.spans()).extracting(Span::service).containsExactly("late");

    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0000000000000000000000000000000A\","
            + "\"spanId\":\"000000000000000b\",\"startTimeUnixNano\":5,\"endTimeUnixNano\":\"7\","
            + "\"kind\":2}],\"scope\":{\"name\":\"lib\"}}],"
            + "\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"late\"}}]}}]}";
    Span span =
        OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT).spans().get(0);
    assertThat(span.service()).isEqualTo("late");
    assertThat(span.scopeName()).isEqualTo("lib");
    assertThat(span.traceId().low()).isEqualTo(10);
    assertThat(span.spanId()).isEqualTo(11);
    assertThat(span.durationNanos()).isEqualTo(2);
    assertThat(span.kind()).isEqualTo(Span.Kind.SERVER);
  }

  @Test
  void complexAttributeValues_becomeListsOrJsonText() {
    AnyValue scalars =
        AnyValue.newBuilder()
            .setArrayValue(
                ArrayValue.newBuilder()
                    .addValues(RandomOtlp.string("a"))
                    .addValues(RandomOtlp.integer(2)))
            .build();
    AnyValue nested =
        AnyValue.newBuilder()
            .setKvlistValue(
                KeyValueList.newBuilder()
                    .addValues(RandomOtlp.keyValue("n", RandomOtlp.integer(1)))
                    .addValues(RandomOtlp.keyValue("list", scalars))
                    .addValues(RandomOtlp.keyValue("none", AnyValue.getDefaultInstance())))
            .build();
    AnyValue bytes =
        AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
    io.opentelemetry.proto.trace.v1.Span span =
        span(1, 1)
            .addAttributes(RandomOtlp.keyValue("scalars", scalars))
            .addAttributes(RandomOtlp.keyValue("nested", nested))
            .addAttributes(RandomOtlp.keyValue("bytes", bytes))
            .addAttributes(RandomOtlp.keyValue("empty", AnyValue.getDefaultInstance()))
            .build();
    ExportTraceServiceRequest request = request(span.toBuilder());
    for (DecodedSpans decoded :
        List.of(
            OtlpProtobufDecoder.decode(request.toByteArray(), NO_LIMIT),
            OtlpJsonDecoder.decode(OtlpJsonText.of(request, true, true), NO_LIMIT))) {
      assertThat(decoded.spans().get(0).attributes())
          .containsExactly(
              new Attribute("scalars", List.of("a", 2L)),
              new Attribute("nested", "{\"n\":1,\"list\":[\"a\",2],\"none\":null}"),
              new Attribute("bytes", "AQID"));
    }
  }

  @Test
  void spanLimit_stopsTheDecode() {
    ExportTraceServiceRequest request = request(span(1, 1), span(1, 2), span(1, 3));
    assertThat(OtlpProtobufDecoder.decode(request.toByteArray(), 3).spans()).hasSize(3);
    assertThatThrownBy(() -> OtlpProtobufDecoder.decode(request.toByteArray(), 2))
        .isInstanceOf(SpanLimitExceededException.class)
        .hasMessage("request holds more than 2 spans");
    assertThatThrownBy(() -> OtlpJsonDecoder.decode(OtlpJsonText.of(request, true, false), 2))
        .isInstanceOf(SpanLimitExceededException.class);
  }

  @Test
  void truncatedProtobuf_isMalformed_withItsPlace() {
    byte[] whole = request(span(1, 1), span(1, 2)).toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
    assertThatThrownBy(() -> OtlpProtobufDecoder.decode(truncated, NO_LIMIT))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageStartingWith("malformed OTLP protobuf in resourceSpans[0]")
        .hasMessageContaining("at byte");
  }

  @Test
  void jsonOfTheWrongShape_isMalformed_withItsPlace() {
    assertMalformedJson("[]", "the request must be a JSON object, not an array");
    assertMalformedJson("{\"resourceSpans\":{}}", "resourceSpans must be an array, not an object");
    assertMalformedJson(
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":5}]}]}]}",
        "resourceSpans[0].scopeSpans[0].spans[0] at byte 54: traceId must be a hex string, not a number");
    assertMalformedJson(
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}",
        "startTimeUnixNano is not an unsigned integer: \"soon\"");
    assertMalformedJson("{\"resourceSpans\":[", "Unexpected end-of-input");
    assertMalformedJson("{} {}", "unexpected an object after the request object");
    assertMalformedJson("", "the request must be a JSON object, not the end of the input");
  }

  private static void assertMalformedJson(String json, String message) {
    assertThatThrownBy(
            () -> OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining(message);
  }

  @Test
  void invalidJsonIds_rejectTheSpanOnly() {
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
            + "{\"traceId\":\"xyz\",\"spanId\":\"0000000000000001\"},"
            + "{\"traceId\":\"0000000000000000000000000000000a\",\"spanId\":\"01\"},"
            + "{\"traceId\":\"0000000000000000000000000000000a\",\"spanId\":\"0000000000000001\","
            + "\"parentSpanId\":\"\"}]}]}]}";
    DecodedSpans decoded = OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT);
    assertThat(decoded.spans()).hasSize(1);
    assertThat(decoded.spans().get(0).isRoot()).isTrue();
    assertThat(decoded.rejected()).isEqualTo(2);
    assertThat(decoded.firstRejection())
        .isEqualTo(
            "resourceSpans[0].scopeSpans[0].spans[0]: trace id must be 32 hex characters, got \"xyz\"");
  }

  static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (io.opentelemetry.proto.trace.v1.Span.Builder span : spans) {
      scope.addSpans(span);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  static io.opentelemetry.proto.trace.v1.Span.Builder span(long traceId, long spanId) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(
            ByteString.copyFrom(java.nio.ByteBuffer.allocate(16).putLong(8, traceId).array()))
        .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(spanId).array()))
        .setName("op")
        .setStartTimeUnixNano(100)
        .setEndTimeUnixNano(200);
  }
}
