package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ZipkinDecoderTest {
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  @Test
  void randomSpans_decodeToTheDocumentedSpans_inJsonAndProto3() {
    int accepted = 0;
    int rejected = 0;
    for (long seed = 0; seed < 500; seed++) {
      List<RandomZipkin.ZipkinSpan> spans = new RandomZipkin(seed).spans();
      List<Span> expected =
          spans.stream().map(RandomZipkin::expected).filter(Objects::nonNull).toList();
      int expectedRejected = spans.size() - expected.size();

      byte[] json = RandomZipkin.json(spans);
      String context = "seed " + seed + ": " + new String(json, StandardCharsets.UTF_8);
      DecodedSpans fromJson = ZipkinJsonDecoder.decode(json, NO_LIMIT);
      assertThat(fromJson.spans()).as(context).containsExactlyElementsOf(expected);
      assertThat(fromJson.rejected()).as(context).isEqualTo(expectedRejected);

      DecodedSpans fromProto3 = ZipkinProto3Decoder.decode(RandomZipkin.proto3(spans), NO_LIMIT);
      assertThat(fromProto3.spans()).as(context).containsExactlyElementsOf(expected);
      assertThat(fromProto3.rejected()).as(context).isEqualTo(expectedRejected);
      assertThat(fromProto3.firstRejection().isEmpty()).isEqualTo(expectedRejected == 0);

      accepted += expected.size();
      rejected += expectedRejected;
    }
    assertThat(accepted).isGreaterThan(1000);
    assertThat(rejected).isGreaterThan(100);
  }

  @Test
  void zipkinJson_mapsEndpointsTagsAndAnnotations() {
    String json =
        """
        [{"traceId":"00000000000000AB","parentId":"1","id":"00000000000000ff","kind":"CLIENT",
          "name":"get /users","timestamp":1700000000000001,"duration":250,
          "localEndpoint":{"serviceName":"frontend","ipv4":"10.0.0.1","port":8080},
          "remoteEndpoint":{"serviceName":"users","ipv6":"2001:db8::1","port":443},
          "annotations":[{"timestamp":1700000000000100,"value":"ws"}],
          "tags":{"http.method":"GET","http.status_code":503,"error":"Service Unavailable"},
          "shared":true,"unknown":{"deep":[1,2]}}]
        """;
    DecodedSpans decoded =
        ZipkinJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT);
    assertThat(decoded.rejected()).isZero();
    Span span = decoded.spans().get(0);
    assertThat(span.traceId().toShortestHex()).isEqualTo("00000000000000ab");
    assertThat(span.parentSpanId()).isEqualTo(1);
    assertThat(span.spanId()).isEqualTo(255);
    assertThat(span.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(span.service()).isEqualTo("frontend");
    assertThat(span.startEpochNanos()).isEqualTo(1_700_000_000_000_001_000L);
    assertThat(span.durationNanos()).isEqualTo(250_000);
    assertThat(span.status()).isEqualTo(Span.Status.ERROR);
    assertThat(span.statusMessage()).isEqualTo("Service Unavailable");
    assertThat(span.attributes())
        .containsExactly(
            new Attribute("http.method", "GET"),
            new Attribute("http.status_code", "503"),
            new Attribute("peer.service", "users"),
            new Attribute("network.peer.address", "2001:db8::1"),
            new Attribute("network.peer.port", 443L),
            new Attribute("network.local.address", "10.0.0.1"),
            new Attribute("network.local.port", 8080L),
            new Attribute("zipkin.shared", true));
    assertThat(span.events())
        .containsExactly(new SpanEvent(1_700_000_000_000_100_000L, "ws", List.of()));
    assertThat(span.remoteService()).isEqualTo("users");
  }

  @Test
  void invalidIds_rejectOnlyTheirSpan() {
    String json =
        """
        [{"traceId":"abc","id":"1"},
         {"traceId":"0000000000000001","id":"0000000000000000"},
         {"traceId":"0000000000000001","id":"2","parentId":"12345678901234567"},
         {"traceId":"0000000000000001"},
         {"traceId":"0000000000000001","id":"3","timestamp":1}]
        """;
    DecodedSpans decoded =
        ZipkinJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT);
    assertThat(decoded.spans()).extracting(Span::spanId).containsExactly(3L);
    assertThat(decoded.rejected()).isEqualTo(4);
    assertThat(decoded.firstRejection())
        .isEqualTo("spans[0]: trace id must be 16 or 32 hex characters, got \"abc\"");
  }

  @Test
  void wrongShapes_areMalformed() {
    assertMalformedJson("{}", "the request must be a JSON array of spans, not an object");
    assertMalformedJson("[1]", "spans[0] at byte 1: a span must be an object, not a number");
    assertMalformedJson("[{\"id\":1}]", "id must be a hex string, not a number");
    assertMalformedJson("[{\"tags\":{\"a\":[]}}]", "tag a must be a string, not an array");
    assertMalformedJson("[{\"timestamp\":-1}]", "timestamp must not be negative: -1");
    assertMalformedJson("[{\"localEndpoint\":{\"port\":70000}}]", "port 70000 is out of range");
    assertMalformedJson("[{]", "spans[0]");
    assertMalformedJson("[] x", "Unrecognized token 'x'");
  }

  private static void assertMalformedJson(String json, String message) {
    assertThatThrownBy(
            () -> ZipkinJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8), NO_LIMIT))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageContaining(message);
  }

  @Test
  void truncatedProto3_isMalformed() {
    List<RandomZipkin.ZipkinSpan> spans = new ArrayList<>();
    for (long seed = 0; spans.size() < 3; seed++) {
      spans.addAll(new RandomZipkin(seed).spans());
    }
    byte[] whole = RandomZipkin.proto3(spans);
    assertThatThrownBy(
            () -> ZipkinProto3Decoder.decode(Arrays.copyOf(whole, whole.length - 1), NO_LIMIT))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageStartingWith("malformed Zipkin proto3 in spans[" + (spans.size() - 1) + "]");
    assertThatThrownBy(() -> ZipkinProto3Decoder.decode(whole, 2))
        .isInstanceOf(SpanLimitExceededException.class);
  }
}
