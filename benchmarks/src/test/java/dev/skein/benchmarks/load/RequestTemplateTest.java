package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.skein.benchmarks.load.TraceGenerator.GeneratedSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Patched copies of a template must be what a server would get from a real client: bytes that the
 * official OTLP classes and a JSON parser read, carrying fresh trace ids, one per original trace,
 * and otherwise the very spans of the template.
 */
class RequestTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final List<List<GeneratedSpan>> traces = traces(20);

  @Test
  void patchedOtlpParsesWithFreshIdsAndTheSameSpans() throws Exception {
    RequestTemplate template = Encodings.otlp(traces);
    assertThat(template.spanCount()).isEqualTo(200);
    assertThat(template.traceCount()).isEqualTo(20);

    SplittableRandom random = new SplittableRandom(1);
    byte[] first = template.instantiate(random);
    byte[] second = template.instantiate(random);

    List<Span> original = spans(ExportTraceServiceRequest.parseFrom(template.original()));
    List<Span> once = spans(ExportTraceServiceRequest.parseFrom(first));
    List<Span> twice = spans(ExportTraceServiceRequest.parseFrom(second));
    assertThat(once).hasSize(200);

    Map<ByteString, ByteString> renamed = checkRenaming(original, once, Span::getTraceId);
    Map<ByteString, ByteString> renamedAgain = checkRenaming(original, twice, Span::getTraceId);
    // Two copies share no trace id with each other or with the template.
    Set<ByteString> all = new HashSet<>(renamed.values());
    all.addAll(renamedAgain.values());
    all.addAll(renamed.keySet());
    assertThat(all).hasSize(60);

    for (int i = 0; i < original.size(); i++) {
      Span expected = original.get(i).toBuilder().setTraceId(ByteString.EMPTY).build();
      Span actual = once.get(i).toBuilder().setTraceId(ByteString.EMPTY).build();
      assertThat(actual).isEqualTo(expected);
      assertThat(once.get(i).getTraceId().size()).isEqualTo(16);
    }
  }

  @Test
  void patchedZipkinJsonParsesWithFreshIdsAndTheSameSpans() throws Exception {
    RequestTemplate template = Encodings.zipkinJson(traces);
    byte[] patched = template.instantiate(new SplittableRandom(2));

    JsonNode original = JSON.readTree(template.original());
    JsonNode copy = JSON.readTree(patched);
    assertThat(copy.isArray()).isTrue();
    assertThat(copy.size()).isEqualTo(200);

    List<JsonNode> originalSpans = new ArrayList<>();
    original.forEach(originalSpans::add);
    List<JsonNode> copySpans = new ArrayList<>();
    copy.forEach(copySpans::add);
    Map<String, String> renamed =
        checkRenaming(originalSpans, copySpans, span -> span.get("traceId").asText());
    for (String id : renamed.values()) {
      assertThat(id).matches("[0-9a-f]{32}");
    }
    for (int i = 0; i < originalSpans.size(); i++) {
      var expected = originalSpans.get(i).deepCopy();
      var actual = copySpans.get(i).deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("traceId");
      ((com.fasterxml.jackson.databind.node.ObjectNode) actual).remove("traceId");
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void bothEncodingsCarryTheSameSpans() throws Exception {
    List<Span> otlp = spans(ExportTraceServiceRequest.parseFrom(Encodings.otlp(traces).original()));
    JsonNode zipkin = JSON.readTree(Encodings.zipkinJson(traces).original());
    Map<String, Span> otlpBySpanId = new HashMap<>();
    for (Span s : otlp) {
      otlpBySpanId.put(HEX.formatHex(s.getSpanId().toByteArray()), s);
    }
    for (JsonNode z : zipkin) {
      Span s = otlpBySpanId.get(z.get("id").asText());
      assertThat(s).as("span %s in both", z.get("id")).isNotNull();
      assertThat(z.get("traceId").asText()).isEqualTo(HEX.formatHex(s.getTraceId().toByteArray()));
      assertThat(z.get("name").asText()).isEqualTo(s.getName());
      assertThat(z.get("timestamp").asLong()).isEqualTo(s.getStartTimeUnixNano() / 1000);
      assertThat(z.get("tags").size())
          .isEqualTo(s.getAttributesCount() + (z.get("tags").has("error") ? 1 : 0));
    }
  }

  @Test
  void theIdOfATraceCanBeReadBackFromACopy() throws Exception {
    RequestTemplate otlp = Encodings.otlp(traces);
    byte[] body = otlp.instantiate(new SplittableRandom(3));
    Set<String> inBody = new HashSet<>();
    for (Span s : spans(ExportTraceServiceRequest.parseFrom(body))) {
      inBody.add(HEX.formatHex(s.getTraceId().toByteArray()));
    }
    Set<String> readBack = new HashSet<>();
    for (int t = 0; t < otlp.traceCount(); t++) {
      readBack.add(otlp.traceIdHex(body, t));
    }
    assertThat(readBack).isEqualTo(inBody);

    RequestTemplate zipkin = Encodings.zipkinJson(traces);
    byte[] json = zipkin.instantiate(new SplittableRandom(4));
    String text = new String(json, StandardCharsets.UTF_8);
    for (int t = 0; t < zipkin.traceCount(); t++) {
      assertThat(text).contains("\"traceId\":\"" + zipkin.traceIdHex(json, t) + "\"");
    }
  }

  @Test
  void anIdThatAlsoMatchesOtherBytesIsRefused() {
    byte[] id = HEX.parseHex("0102030405060708090a0b0c0d0e0f10");
    byte[] body = new byte[40];
    System.arraycopy(id, 0, body, 0, 16);
    System.arraycopy(id, 0, body, 20, 16);
    assertThatThrownBy(
            () ->
                RequestTemplate.locate(
                    body, List.of(id), new int[] {1}, RequestTemplate.IdFormat.RAW))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("found 2 times");
  }

  /**
   * Checks that every span got a new id, that spans of one original trace share one new id, and
   * that different traces got different ones; returns original to new.
   */
  private static <S, I> Map<I, I> checkRenaming(
      List<S> original, List<S> copy, java.util.function.Function<S, I> traceId) {
    assertThat(copy).hasSameSizeAs(original);
    Map<I, I> renamed = new HashMap<>();
    for (int i = 0; i < original.size(); i++) {
      I before = traceId.apply(original.get(i));
      I after = traceId.apply(copy.get(i));
      assertThat(after).isNotEqualTo(before);
      I earlier = renamed.putIfAbsent(before, after);
      if (earlier != null) {
        assertThat(after).isEqualTo(earlier);
      }
    }
    assertThat(new HashSet<>(renamed.values())).hasSameSizeAs(renamed.keySet());
    assertThat(renamed.values()).doesNotContainAnyElementsOf(renamed.keySet());
    return renamed;
  }

  private static List<Span> spans(ExportTraceServiceRequest request) {
    List<Span> spans = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans.addAll(ss.getSpansList());
      }
    }
    return spans;
  }

  static List<List<GeneratedSpan>> traces(int count) {
    TraceGenerator generator = new TraceGenerator(11);
    List<List<GeneratedSpan>> traces = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      traces.add(generator.trace(1_700_000_000_000_000_000L + i * 1_000_000L));
    }
    return traces;
  }
}
