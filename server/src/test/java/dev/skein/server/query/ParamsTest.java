package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  @ParameterizedTest
  @CsvSource({
    "0, 0",
    "+0, 0",
    "0s, 0",
    "1ns, 1",
    "500us, 500000",
    "500\u00b5s, 500000",
    "500\u03bcs, 500000",
    "100ms, 100000000",
    "1.2s, 1200000000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "1m, 60000000000",
    "1h, 3600000000000",
    "1h30m, 5400000000000",
    "2h45m30.5s, 9930500000000",
    "1d, 86400000000000",
    "2w, 1209600000000000",
    "1.0000000005s, 1000000000",
    "9223372036854775807ns, 9223372036854775807",
  })
  void durations(String text, long nanos) {
    assertThat(Params.parseDuration("d", text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "5",
        "-1s",
        "s",
        ".s",
        "1x",
        "1 s",
        "1s ",
        "1.2.3s",
        "1sm",
        "9223372036854775808ns",
        "107000000h",
        "\u0661s",
        "1e3s",
        "++1s"
      })
  void badDurations(String text) {
    assertThatThrownBy(() -> Params.parseDuration("minDuration", text))
        .isInstanceOf(BadParameterException.class)
        .hasMessageContaining("'minDuration'");
  }

  @Test
  void longs() {
    assertThat(Params.parseLong("n", "0")).isZero();
    assertThat(Params.parseLong("n", "-12")).isEqualTo(-12);
    assertThat(Params.parseLong("n", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    for (String bad :
        List.of("", "-", "+1", "1.0", " 1", "9223372036854775808", "\u0661", "0x10")) {
      assertThatThrownBy(() -> Params.parseLong("limit", bad))
          .as(bad)
          .isInstanceOf(BadParameterException.class)
          .hasMessageContaining("'limit'");
    }
    assertThatThrownBy(() -> Params.parseNonNegativeLong("limit", "-1"))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Params.scale("end", Long.MAX_VALUE / 10, 1000))
        .hasMessageContaining("'end'");
  }

  @Test
  void traceIds() {
    assertThat(Params.parseTraceId("t", "4bf92f3577b34da6a3ce929d0e0e4736"))
        .isEqualTo(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(Params.parseTraceId("t", "4BF92F3577B34DA6A3CE929D0E0E4736"))
        .isEqualTo(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(Params.parseTraceId("t", "a3ce929d0e0e4736"))
        .isEqualTo(new TraceId(0, 0xa3ce929d0e0e4736L));
    assertThat(Params.parseTraceId("t", "1")).isEqualTo(new TraceId(0, 1));
    assertThat(Params.parseTraceId("t", "10000000000000000")).isEqualTo(new TraceId(1, 0));
    for (String bad :
        List.of("", "0", "0".repeat(32), "g", "1".repeat(33), "\uff11", "\u0661\u0662", "12 3")) {
      assertThatThrownBy(() -> Params.parseTraceId("traceID", bad))
          .as(bad)
          .isInstanceOf(BadParameterException.class)
          .hasMessageContaining("'traceID'");
    }
  }

  @Test
  void tagsJson() {
    Map<String, String> tags = new LinkedHashMap<>();
    Params.parseTagsJson(
        "tags", "{\"a\":\"x\",\"n\":200,\"f\":1.5,\"t\":true,\"b\":false,\"a\":\"y\"}", tags);
    assertThat(tags)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "y", "n", "200", "f", "1.5", "t", "true", "b", "false"));
    Params.parseTagsJson("tags", " {} ", tags);
    assertThat(tags).hasSize(5);
    for (String bad :
        List.of(
            "",
            "[]",
            "{",
            "{\"a\"}",
            "{\"a\":null}",
            "{\"a\":[1]}",
            "{\"a\":{}}",
            "{} {}",
            "\"s\"",
            "{\"a\":\"b\",}",
            "{'a':'b'}",
            "{\"a\":1" + "0".repeat(200) + "}")) {
      Map<String, String> untouched = new LinkedHashMap<>(Map.of("k", "v"));
      assertThatThrownBy(() -> Params.parseTagsJson("tags", bad, untouched))
          .as(bad)
          .isInstanceOf(BadParameterException.class)
          .hasMessageContaining("'tags'");
      assertThat(untouched).containsExactly(Map.entry("k", "v"));
    }
  }

  @Test
  void tagPairs() {
    Map<String, String> tags = new LinkedHashMap<>();
    Params.parseTagPair("tag", "http.url:https://x:8080/y", tags);
    Params.parseTagPair("tag", "empty:", tags);
    assertThat(tags)
        .containsExactly(Map.entry("http.url", "https://x:8080/y"), Map.entry("empty", ""));
    assertThatThrownBy(() -> Params.parseTagPair("tag", "novalue", tags))
        .hasMessageContaining("'tag'");
    assertThatThrownBy(() -> Params.parseTagPair("tag", ":v", tags)).hasMessageContaining("'tag'");
  }

  @Test
  void annotationQueries() {
    Params.AnnotationQuery query =
        Params.parseAnnotationQuery("q", "http.uri=/foo and retried and  error  and k=a=b and x=");
    assertThat(query.tags())
        .containsExactly(Map.entry("http.uri", "/foo"), Map.entry("k", "a=b"), Map.entry("x", ""));
    assertThat(query.words()).containsExactly("retried", "error");
    assertThat(Params.parseAnnotationQuery("q", "  ").isEmpty()).isTrue();
    assertThat(Params.parseAnnotationQuery("q", "and").words()).isEqualTo(Set.of("and"));
    assertThat(Params.parseAnnotationQuery("q", "brand=x").tags()).containsEntry("brand", "x");
    assertThatThrownBy(() -> Params.parseAnnotationQuery("annotationQuery", "a and =b"))
        .hasMessageContaining("'annotationQuery'");
  }

  @Test
  void spanKinds() {
    assertThat(Params.parseSpanKind("k", "server")).isEqualTo(Span.Kind.SERVER);
    assertThat(Params.parseSpanKind("k", "CLIENT")).isEqualTo(Span.Kind.CLIENT);
    assertThat(Params.parseSpanKind("k", "")).isNull();
    assertThatThrownBy(() -> Params.parseSpanKind("spanKind", "up"))
        .hasMessageContaining("'spanKind'");
  }

  @Test
  void longValuesAreShortenedInMessages() {
    String huge = "x".repeat(10_000);
    assertThatThrownBy(() -> Params.parseDuration("lookback", huge))
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
    assertThat(MS * 1000).isEqualTo(S);
  }
}
