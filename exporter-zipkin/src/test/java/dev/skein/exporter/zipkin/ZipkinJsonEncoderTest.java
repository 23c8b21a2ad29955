package dev.skein.exporter.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the JSON looks like on the wire, beyond what Zipkin's decoder normalizes away. */
class ZipkinJsonEncoderTest {

  private final ZipkinJsonEncoder encoder = new ZipkinJsonEncoder();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void writesTheV2FieldsWithAbsentOnesLeftOut() throws Exception {
    TestSpan span = new TestSpan();
    span.traceIdHigh = 0;
    span.traceIdLow = 0x1234L;
    span.name = "GET /Orders";

    JsonNode root = json.readTree(encoder.encode(List.of(span)));

    assertThat(root.isArray()).isTrue();
    JsonNode written = root.get(0);
    // 128-bit ids are always written in full, and names as given (Zipkin lowercases on its side).
    assertThat(written.get("traceId").asText()).isEqualTo("00000000000000000000000000001234");
    assertThat(written.get("id").asText()).isEqualTo("b7ad6b7169203331");
    assertThat(written.get("name").asText()).isEqualTo("GET /Orders");
    assertThat(written.get("timestamp").isIntegralNumber()).isTrue();
    assertThat(written.get("duration").asLong()).isEqualTo(2500);
    assertThat(written.get("localEndpoint").toString()).isEqualTo("{\"serviceName\":\"checkout\"}");
    // A root, internal span with no events or tags: those fields are not written at all.
    assertThat(written.has("parentId")).isFalse();
    assertThat(written.has("kind")).isFalse();
    assertThat(written.has("remoteEndpoint")).isFalse();
    assertThat(written.has("annotations")).isFalse();
    assertThat(written.has("tags")).isFalse();
    assertThat(written.has("shared")).isFalse();
    assertThat(written.has("debug")).isFalse();
  }

  @Test
  void writesARemoteEndpointWithIpAndPort() throws Exception {
    TestSpan span =
        new TestSpan()
            .attribute("peer.service", "orders-db")
            .attribute("network.peer.address", "10.1.2.3")
            .attribute("server.port", 5432L);
    span.kind = SpanKind.CLIENT;

    JsonNode written = json.readTree(encoder.encode(List.of(span))).get(0);

    assertThat(written.get("kind").asText()).isEqualTo("CLIENT");
    assertThat(written.get("remoteEndpoint").toString())
        .isEqualTo("{\"serviceName\":\"orders-db\",\"ipv4\":\"10.1.2.3\",\"port\":5432}");
  }

  @Test
  void separatesSpansWithCommas() throws Exception {
    TestSpan first = new TestSpan();
    TestSpan second = new TestSpan();
    second.spanId = 2;

    JsonNode root = json.readTree(encoder.encode(List.of(first, second)));

    assertThat(root.size()).isEqualTo(2);
    assertThat(root.get(1).get("id").asText()).isEqualTo("0000000000000002");
  }

  @Test
  void anEmptyBatchIsAnEmptyArray() {
    assertThat(new String(encoder.encode(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    assertThat(encoder.contentType()).isEqualTo("application/json");
  }
}
