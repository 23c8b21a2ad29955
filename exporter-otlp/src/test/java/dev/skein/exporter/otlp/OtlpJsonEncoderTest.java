package dev.skein.exporter.otlp;

import static dev.skein.exporter.otlp.OtlpAssertions.assertRequestMatches;
import static dev.skein.exporter.otlp.OtlpAssertions.parseJson;
import static dev.skein.exporter.otlp.OtlpAssertions.parseProto;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpJsonEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OtlpJsonEncoder encoder = new OtlpJsonEncoder();

  @Test
  void everyFieldOfEverySpan_decodesWithTheOfficialClasses() throws Exception {
    List<SpanData> spans = TestSpans.richBatch();

    ExportTraceServiceRequest request = parseJson(encoder.encode(spans));

    assertRequestMatches(request, spans);
  }

  @Test
  void jsonAndProtobuf_carryTheSameMessage() throws Exception {
    List<SpanData> spans = TestSpans.richBatch();

    ExportTraceServiceRequest fromJson = parseJson(encoder.encode(spans));
    ExportTraceServiceRequest fromProto = parseProto(new OtlpProtoEncoder().encode(spans));

    assertThat(fromJson).isEqualTo(fromProto);
  }

  @Test
  void idsAreLowercaseHex_64BitIntegersAreStrings_enumsAreNumbers() throws Exception {
    List<SpanData> spans = TestSpans.richBatch();
    SpanData data = spans.stream().filter(s -> s.name().equals("SELECT carts")).findFirst().get();

    JsonNode span = findSpan(JSON.readTree(encoder.encode(spans)), "SELECT carts");

    assertThat(span.get("traceId").textValue()).isEqualTo(data.spanContext().getTraceId());
    assertThat(span.get("spanId").textValue()).isEqualTo(data.spanContext().getSpanId());
    assertThat(span.get("parentSpanId").textValue())
        .isEqualTo(String.format("%016x", data.parentSpanId()));
    assertThat(span.get("links").get(0).get("traceId").textValue())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.get("links").get(0).get("spanId").textValue()).isEqualTo("00f067aa0ba902b7");
    assertThat(span.get("startTimeUnixNano").isTextual()).isTrue();
    assertThat(span.get("endTimeUnixNano").textValue()).isEqualTo("1700000000300000000");
    assertThat(span.get("kind").isInt()).isTrue();
    assertThat(span.get("kind").intValue()).isEqualTo(3); // CLIENT
    assertThat(span.get("flags").intValue()).isEqualTo(0x101); // sampled, parent not remote
    assertThat(span.get("status").get("code").intValue()).isEqualTo(1); // OK
    assertThat(span.get("droppedLinksCount").isInt()).isTrue();
    JsonNode rows = span.get("attributes").get(1);
    assertThat(rows.get("key").textValue()).isEqualTo("db.rows");
    assertThat(rows.get("value").get("intValue").textValue()).isEqualTo("0");
  }

  @Test
  void keysAreLowerCamelCase() throws Exception {
    List<String> keys = new ArrayList<>();
    collectKeys(JSON.readTree(encoder.encode(TestSpans.richBatch())), keys);

    assertThat(keys)
        .contains("resourceSpans", "scopeSpans", "startTimeUnixNano", "droppedAttributesCount")
        .allMatch(key -> key.matches("[a-z][a-zA-Z]*"), "lowerCamelCase");
  }

  @Test
  void defaultValuesAreLeftOut_butAttributeValuesAlwaysWritten() throws Exception {
    List<SpanData> spans = TestSpans.richBatch();
    SpanData producer =
        spans.stream().filter(s -> s.name().equals("publish orders")).findFirst().get();
    SpanData unnamed = OtlpProtoEncoderTest.replacing(producer, "name", name -> "");

    JsonNode span =
        JSON.readTree(encoder.encode(List.of(unnamed)))
            .get("resourceSpans")
            .get(0)
            .get("scopeSpans")
            .get(0)
            .get("spans")
            .get(0);

    assertThat(iterable(span.fieldNames()))
        .containsExactly(
            "traceId",
            "spanId",
            "flags",
            "kind",
            "startTimeUnixNano",
            "endTimeUnixNano",
            "attributes");
    JsonNode server = findSpan(JSON.readTree(encoder.encode(spans)), "GET /cart/{id}");
    assertThat(attribute(server, "empty")).isEqualTo(JSON.readTree("{\"stringValue\":\"\"}"));
    assertThat(attribute(server, "zero")).isEqualTo(JSON.readTree("{\"intValue\":\"0\"}"));
    assertThat(attribute(server, "cached")).isEqualTo(JSON.readTree("{\"boolValue\":false}"));
    assertThat(attribute(server, "double.zero").get("doubleValue").doubleValue()).isZero();
    assertThat(attribute(server, "empty.array")).isEqualTo(JSON.readTree("{\"arrayValue\":{}}"));
  }

  @Test
  void doublesThatJsonNumbersCannotHold_areTheProto3Strings() throws Exception {
    String json = new String(encoder.encode(TestSpans.richBatch()), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("{\"doubleValue\":\"NaN\"}")
        .contains("{\"doubleValue\":\"Infinity\"}")
        .contains("{\"doubleValue\":\"-Infinity\"}")
        .contains("{\"doubleValue\":1.0E-300}")
        .contains("{\"doubleValue\":3}");
  }

  @Test
  void negativeZero_keepsItsSign() throws Exception {
    SpanData span =
        OtlpProtoEncoderTest.replacing(
            OtlpProtoEncoderTest.manySpans(1).get(0), "attributeValue", value -> -0.0);

    byte[] bytes = encoder.encode(List.of(span));

    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("{\"doubleValue\":-0.0}");
    double decoded =
        attribute(findSpan(JSON.readTree(bytes), "span 0"), "index")
            .get("doubleValue")
            .doubleValue();
    assertThat(Double.doubleToRawLongBits(decoded)).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void escapesAndNonAscii_parseBackToTheSameStrings() throws Exception {
    byte[] bytes = encoder.encode(TestSpans.richBatch());

    for (byte b : bytes) {
      assertThat(b & 0xff).as("raw control character").isGreaterThanOrEqualTo(0x20);
    }
    JsonNode server = findSpan(JSON.readTree(bytes), "GET /cart/{id}");
    assertThat(attribute(server, "escapes").get("stringValue").textValue())
        .isEqualTo(TestSpans.ESCAPES);
    assertThat(attribute(server, TestSpans.NON_ASCII).get("stringValue").textValue())
        .isEqualTo(TestSpans.NON_ASCII);
    assertThat(server.get("status").get("message").textValue())
        .isEqualTo("cart not found: " + TestSpans.NON_ASCII);
  }

  @Test
  void loneSurrogates_becomeQuestionMarks_inValidUtf8() throws Exception {
    byte[] bytes = encoder.encode(TestSpans.richBatch());

    StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)); // throws on invalid UTF-8
    JsonNode consumer = findSpan(JSON.readTree(bytes), "a?b?c?");
    assertThat(attribute(consumer, "a?b?c?").get("stringValue").textValue()).isEqualTo("a?b?c?");
  }

  @Test
  void emptyBatch_isAnEmptyObject() throws Exception {
    byte[] bytes = encoder.encode(List.of());

    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(parseJson(bytes)).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  @Test
  void batchOf512Spans_matchesTheProtobufEncoding() throws Exception {
    List<SpanData> spans = OtlpProtoEncoderTest.manySpans(512);

    ExportTraceServiceRequest request = parseJson(encoder.encode(spans));

    assertRequestMatches(request, spans);
    assertThat(request).isEqualTo(parseProto(new OtlpProtoEncoder().encode(spans)));
  }

  @Test
  void statusWithOnlyAMessage_hasNoCodeKey() throws Exception {
    SpanData span = OtlpProtoEncoderTest.manySpans(1).get(0);
    SpanData described =
        OtlpProtoEncoderTest.replacing(
            OtlpProtoEncoderTest.replacing(span, "statusDescription", d -> "why"),
            "statusCode",
            c -> StatusCode.UNSET);

    JsonNode json =
        findSpan(JSON.readTree(encoder.encode(List.of(described))), "span 0").get("status");

    assertThat(json).isEqualTo(JSON.readTree("{\"message\":\"why\"}"));
    assertThat(parseJson(encoder.encode(List.of(described))))
        .isEqualTo(parseProto(new OtlpProtoEncoder().encode(List.of(described))));
  }

  @Test
  void encodeIntoBuffer_appendsAfterWhatIsThere() {
    List<SpanData> spans = OtlpProtoEncoderTest.manySpans(3);
    WireBuffer buffer = new WireBuffer(16);
    buffer.writeAscii("[");

    encoder.encode(spans, buffer);

    assertThat(new String(buffer.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("[" + new String(encoder.encode(spans), StandardCharsets.UTF_8));
  }

  @Test
  void attributeValueOfAnUnknownType_failsNamingTheAttribute() {
    SpanData odd =
        OtlpProtoEncoderTest.replacing(
            OtlpProtoEncoderTest.manySpans(1).get(0), "attributeValue", value -> Map.of());

    assertThatThrownBy(() -> encoder.encode(List.of(odd)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attribute 'index'");
  }

  private static JsonNode findSpan(JsonNode root, String name) {
    for (JsonNode resourceSpans : root.get("resourceSpans")) {
      for (JsonNode scopeSpans : resourceSpans.get("scopeSpans")) {
        for (JsonNode span : scopeSpans.get("spans")) {
          if (name.equals(span.path("name").textValue())) {
            return span;
          }
        }
      }
    }
    throw new AssertionError("no span named " + name);
  }

  private static JsonNode attribute(JsonNode span, String key) {
    for (JsonNode attribute : span.get("attributes")) {
      if (key.equals(attribute.get("key").textValue())) {
        return attribute.get("value");
      }
    }
    throw new AssertionError("no attribute " + key);
  }

  private static void collectKeys(JsonNode node, List<String> keys) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              field -> {
                keys.add(field.getKey());
                collectKeys(field.getValue(), keys);
              });
    } else if (node.isArray()) {
      node.forEach(element -> collectKeys(element, keys));
    }
  }

  private static <T> List<T> iterable(Iterator<T> iterator) {
    List<T> list = new ArrayList<>();
    iterator.forEachRemaining(list::add);
    return list;
  }
}
