package dev.skein.server.query;

import static dev.skein.server.query.TestSpans.at;
import static dev.skein.server.query.TestSpans.attr;
import static dev.skein.server.query.TestSpans.enc;
import static dev.skein.server.query.TestSpans.micros;
import static dev.skein.server.query.TestSpans.span;
import static dev.skein.server.query.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZipkinApiTest {
  static final TraceId CALL = traceId(0x21);
  static final TraceId HEALTH = new TraceId(0, 0x5);
  static final TraceId BAR = traceId(0x23);
  static final TraceId OLD = traceId(0x24);

  QueryServer server;

  @BeforeAll
  void start() {
    server = new QueryServer();
    long tenMinutesAgo = QueryServer.NOW_NANOS - 600_000_000_000L;
    server.write(
        at(span(CALL, 0x1, "frontend", "get /"), 10)
            .addAttribute("http.path", "/foo")
            .scope("io.opentelemetry.servlet", "2.0")
            .addEvent(new SpanEvent(tenMinutesAgo + 1_000L, "wr", List.of()))
            .addEvent(
                new SpanEvent(
                    tenMinutesAgo + 2_000_000L,
                    "retry",
                    List.of(attr("attempt", 2L), attr("reason", "timeout"))))
            .build(),
        at(span(CALL, 0x2, "frontend", "get /api"), 10)
            .parentSpanId(0x1)
            .kind(Span.Kind.CLIENT)
            .addAttribute("peer.service", "backend")
            .addAttribute("network.peer.address", "10.0.0.7")
            .addAttribute("network.peer.port", 8080L)
            .status(Span.Status.ERROR, "boom")
            .build(),
        at(span(CALL, 0x3, "backend", "get /api"), 10)
            .parentSpanId(0x2)
            .addResourceAttribute(attr("host.name", "b1"))
            .build(),
        at(span(CALL, 0x4, "backend", "compute"), 10)
            .parentSpanId(0x3)
            .kind(Span.Kind.INTERNAL)
            .build());
    server.write(
        at(span(HEALTH, 0x5, "frontend", "get /health"), 2)
            .durationNanos(500)
            .kind(Span.Kind.CLIENT)
            .addAttribute("network.peer.address", "2001:db8::1")
            .addAttribute("network.peer.port", "443")
            .build());
    server.write(
        at(span(BAR, 0x6, "frontend", "get /"), 30)
            .durationNanos(80_000_000L)
            .addAttribute("http.path", "/bar")
            .build());
    server.write(at(span(OLD, 0x7, "frontend", "get /"), 2 * 24 * 60).build());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode ok(String pathAndQuery) {
    QueryServer.Reply reply = server.get(pathAndQuery);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    return reply.json();
  }

  private String badRequest(String pathAndQuery) {
    QueryServer.Reply reply = server.get(pathAndQuery);
    assertThat(reply.status()).as(reply.text()).isEqualTo(400);
    assertThat(reply.contentType()).startsWith("text/plain");
    return reply.text();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  /** The trace id of each trace in a list of traces. */
  private static List<String> traceIds(JsonNode traces) {
    List<String> ids = new ArrayList<>();
    for (JsonNode trace : traces) {
      assertThat(trace.isArray()).isTrue();
      ids.add(trace.get(0).get("traceId").asText());
    }
    return ids;
  }

  private static Map<String, JsonNode> spansById(JsonNode trace) {
    Map<String, JsonNode> spans = new HashMap<>();
    trace.forEach(span -> spans.put(span.get("id").asText(), span));
    return spans;
  }

  @Test
  void names() {
    assertThat(texts(ok("/api/v2/services"))).containsExactly("backend", "frontend");
    assertThat(texts(ok("/api/v2/spans?serviceName=frontend")))
        .containsExactly("get /", "get /api", "get /health");
    assertThat(texts(ok("/api/v2/spans?serviceName=nobody"))).isEmpty();
    assertThat(texts(ok("/api/v2/remoteServices?serviceName=frontend"))).containsExactly("backend");
    assertThat(texts(ok("/api/v2/remoteServices?serviceName=backend"))).isEmpty();
    assertThat(badRequest("/api/v2/spans")).contains("'serviceName'");
    assertThat(badRequest("/api/v2/remoteServices?serviceName=")).contains("'serviceName'");
  }

  @Test
  void autocomplete() {
    assertThat(texts(ok("/api/v2/autocompleteKeys")))
        .contains("http.path", "peer.service", "network.peer.port")
        .isSorted();
    assertThat(texts(ok("/api/v2/autocompleteValues?key=http.path")))
        .containsExactly("/bar", "/foo");
    assertThat(texts(ok("/api/v2/autocompleteValues?key=nothing"))).isEmpty();
    assertThat(badRequest("/api/v2/autocompleteValues")).contains("'key'");
  }

  @Test
  void traceHasZipkinsShape() {
    JsonNode trace = ok("/api/v2/trace/" + CALL.toHex());
    assertThat(trace).hasSize(4);
    Map<String, JsonNode> spans = spansById(trace);

    JsonNode root = spans.get("0000000000000001");
    assertThat(root.get("traceId").asText()).isEqualTo(CALL.toHex());
    assertThat(root.has("parentId")).isFalse();
    assertThat(root.get("kind").asText()).isEqualTo("SERVER");
    assertThat(root.get("name").asText()).isEqualTo("get /");
    assertThat(root.get("timestamp").asLong()).isEqualTo(micros(10));
    assertThat(root.get("duration").asLong()).isEqualTo(5_000);
    assertThat(root.get("localEndpoint").get("serviceName").asText()).isEqualTo("frontend");
    assertThat(root.has("remoteEndpoint")).isFalse();
    JsonNode annotations = root.get("annotations");
    assertThat(annotations).hasSize(2);
    assertThat(annotations.get(0).get("timestamp").asLong()).isEqualTo(micros(10) + 1);
    assertThat(annotations.get(0).get("value").asText()).isEqualTo("wr");
    assertThat(annotations.get(1).get("value").asText())
        .isEqualTo("\"retry\":{\"attempt\":2,\"reason\":\"timeout\"}");
    JsonNode rootTags = root.get("tags");
    assertThat(rootTags.get("http.path").asText()).isEqualTo("/foo");
    assertThat(rootTags.get("otel.scope.name").asText()).isEqualTo("io.opentelemetry.servlet");
    assertThat(rootTags.get("otel.library.name").asText()).isEqualTo("io.opentelemetry.servlet");
    assertThat(rootTags.get("otel.scope.version").asText()).isEqualTo("2.0");
    assertThat(rootTags.has("error")).isFalse();
    assertThat(rootTags.has("otel.status_code")).isFalse();

    JsonNode client = spans.get("0000000000000002");
    assertThat(client.get("parentId").asText()).isEqualTo("0000000000000001");
    assertThat(client.get("kind").asText()).isEqualTo("CLIENT");
    JsonNode remote = client.get("remoteEndpoint");
    assertThat(remote.get("serviceName").asText()).isEqualTo("backend");
    assertThat(remote.get("ipv4").asText()).isEqualTo("10.0.0.7");
    assertThat(remote.get("port").asInt()).isEqualTo(8080);
    assertThat(client.get("tags").get("otel.status_code").asText()).isEqualTo("ERROR");
    assertThat(client.get("tags").get("error").asText()).isEqualTo("boom");
    assertThat(client.get("tags").get("network.peer.port").isTextual()).isTrue();
    assertThat(client.has("annotations")).isFalse();

    JsonNode server = spans.get("0000000000000003");
    assertThat(server.get("localEndpoint").get("serviceName").asText()).isEqualTo("backend");
    assertThat(server.get("tags").get("host.name").asText()).isEqualTo("b1");

    JsonNode internal = spans.get("0000000000000004");
    assertThat(internal.has("kind")).isFalse();
  }

  @Test
  void shortIdsAndSubMicrosecondDurations() {
    JsonNode span = ok("/api/v2/trace/0000000000000005").get(0);
    assertThat(span.get("traceId").asText()).isEqualTo("0000000000000005");
    assertThat(span.get("duration").asLong()).isEqualTo(1);
    assertThat(span.get("remoteEndpoint").get("ipv6").asText()).isEqualTo("2001:db8::1");
    assertThat(span.get("remoteEndpoint").get("port").asInt()).isEqualTo(443);
    assertThat(span.get("remoteEndpoint").has("serviceName")).isFalse();
    assertThat(ok("/api/v2/trace/00000000000000000000000000000005")).hasSize(1);
  }

  @Test
  void unknownAndBadTraceIds() {
    QueryServer.Reply missing = server.get("/api/v2/trace/" + traceId(0x999).toHex());
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("text/plain");
    assertThat(missing.text()).isEqualTo(traceId(0x999).toHex() + " not found");
    assertThat(badRequest("/api/v2/trace/not-hex")).contains("'traceId'");
    assertThat(badRequest("/api/v2/trace/" + "a".repeat(33))).contains("'traceId'");
  }

  @Test
  void traceMany() {
    JsonNode traces = ok("/api/v2/traceMany?traceIds=" + CALL.toHex() + ",0000000000000005");
    assertThat(traceIds(traces)).containsExactly(CALL.toHex(), "0000000000000005");
    assertThat(traces.get(0)).hasSize(4);
    assertThat(
            traceIds(
                ok("/api/v2/traceMany?traceIds=" + CALL.toHex() + "," + traceId(0x998).toHex())))
        .containsExactly(CALL.toHex());
    assertThat(badRequest("/api/v2/traceMany?traceIds=" + CALL.toHex() + "," + CALL.toHex()))
        .contains("redundant");
    assertThat(badRequest("/api/v2/traceMany?traceIds=,")).contains("'traceIds'");
    assertThat(badRequest("/api/v2/traceMany")).contains("'traceIds'");
    assertThat(badRequest("/api/v2/traceMany?traceIds=" + CALL.toHex() + ",xyz"))
        .contains("'traceIds'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "|HEALTH CALL BAR",
        "serviceName=frontend|HEALTH CALL BAR",
        "serviceName=backend|CALL",
        "serviceName=frontend&spanName=get%20%2F|CALL BAR",
        "spanName=all|HEALTH CALL BAR",
        "serviceName=frontend&remoteServiceName=backend|CALL",
        "annotationQuery=http.path%3D%2Ffoo|CALL",
        "annotationQuery=http.path%3D%2Ffoo%20and%20wr|CALL",
        "annotationQuery=wr|CALL",
        "annotationQuery=retry%20and%20http.path|CALL",
        "annotationQuery=error|CALL",
        "annotationQuery=error%3Dboom|CALL",
        "annotationQuery=otel.status_code%3DERROR%20and%20peer.service%3Dbackend|CALL",
        "annotationQuery=http.path%3D%2Ffoo%20and%20error|",
        "annotationQuery=nothing|",
        "annotationQuery=http.path|CALL BAR",
        "minDuration=4000|CALL BAR",
        "minDuration=50000&maxDuration=100000|BAR",
        "maxDuration=1|HEALTH",
        "limit=1|HEALTH",
        "limit=2|HEALTH CALL",
        "endTs=ENDTS_5M&lookback=600000|CALL",
        "lookback=900000|HEALTH CALL",
        "lookback=259200000|HEALTH CALL BAR OLD",
      })
  void search(String query, String expected) {
    String endTs = String.valueOf(QueryServer.NOW.toEpochMilli() - 300_000L);
    String q = query == null ? "" : query.replace("ENDTS_5M", endTs);
    Map<String, TraceId> byName = Map.of("CALL", CALL, "HEALTH", HEALTH, "BAR", BAR, "OLD", OLD);
    List<String> wanted = new ArrayList<>();
    if (expected != null) {
      for (String name : expected.split(" ")) {
        wanted.add(byName.get(name).toShortestHex());
      }
    }
    assertThat(traceIds(ok("/api/v2/traces?" + q))).containsExactlyElementsOf(wanted);
  }

  @Test
  void searchReturnsWholeTraces() {
    JsonNode traces = ok("/api/v2/traces?serviceName=backend");
    assertThat(traces).hasSize(1);
    assertThat(spansById(traces.get(0))).hasSize(4);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|'limit'",
        "limit=abc|'limit'",
        "minDuration=-1|'minDuration'",
        "minDuration=1ms|'minDuration'",
        "maxDuration=99999999999999999|'maxDuration'",
        "minDuration=10&maxDuration=5|'maxDuration'",
        "endTs=0|'endTs'",
        "endTs=yesterday|'endTs'",
        "lookback=0|'lookback'",
        "lookback=1d|'lookback'",
        "annotationQuery=%3Dvalue|'annotationQuery'",
        "annotationQuery=a%3D1%20and%20%3D2|'annotationQuery'",
      })
  void badSearchParameters(String query, String parameter) {
    assertThat(badRequest("/api/v2/traces?" + query)).contains(parameter);
    assertThat(ok("/api/v2/traces")).hasSize(3);
  }

  @Test
  void dependencies() {
    long minute = QueryServer.NOW.toEpochMilli() - 60_000L;
    server.store.writeLinks(
        minute,
        List.of(
            new DependencyLink("frontend", "backend", 10, 4),
            new DependencyLink("backend", "db", 5, 0)));
    JsonNode links =
        ok("/api/v2/dependencies?endTs=" + QueryServer.NOW.toEpochMilli() + "&lookback=3600000");
    Map<String, JsonNode> byPair = new HashMap<>();
    links.forEach(
        link -> byPair.put(link.get("parent").asText() + ">" + link.get("child").asText(), link));
    assertThat(byPair).containsOnlyKeys("frontend>backend", "backend>db");
    assertThat(byPair.get("frontend>backend").get("callCount").asLong()).isEqualTo(10);
    assertThat(byPair.get("frontend>backend").get("errorCount").asLong()).isEqualTo(4);
    assertThat(byPair.get("backend>db").has("errorCount")).isFalse();
    assertThat(ok("/api/v2/dependencies")).hasSize(2);
    assertThat(ok("/api/v2/dependencies?endTs=" + (minute - 1))).isEmpty();
    assertThat(badRequest("/api/v2/dependencies?endTs=-5")).contains("'endTs'");
    assertThat(badRequest("/api/v2/dependencies?lookback=x")).contains("'lookback'");
  }

  @Test
  void annotationQueryIsEncodedLikeZipkinsUi() {
    // Zipkin's UI sends the query with '+' for spaces.
    assertThat(traceIds(ok("/api/v2/traces?annotationQuery=" + enc("http.path=/foo and wr"))))
        .containsExactly(CALL.toHex());
  }
}
