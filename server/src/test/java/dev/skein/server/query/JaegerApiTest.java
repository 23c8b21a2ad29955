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
import dev.skein.storage.SpanLink;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JaegerApiTest {
  static final TraceId CHECKOUT = traceId(1);
  static final TraceId HOME_OK = traceId(2);
  static final TraceId HOME_FAILED = traceId(3);
  static final TraceId OLD = traceId(4);
  static final TraceId SHORT_ID = new TraceId(0, 0x77L);
  static final TraceId LINKED = new TraceId(0x1111L, 0x2222L);

  QueryServer server;

  @BeforeAll
  void start() {
    server = new QueryServer();
    // CHECKOUT, 10 minutes ago: frontend (two resources) calls payment.
    server.write(
        at(span(CHECKOUT, 0xa1, "frontend", "GET /checkout"), 10)
            .addResourceAttribute(attr("host.name", "h1"))
            .addAttribute("http.method", "GET")
            .addAttribute("http.status_code", 200L)
            .addAttribute("sampling.ratio", 0.5)
            .addAttribute("cached", false)
            .addAttribute("roles", List.of("a", "b"))
            .scope("io.opentelemetry.jetty", "1.2")
            .status(Span.Status.OK, "")
            .traceState("vendor=x")
            .addEvent(
                new SpanEvent(
                    QueryServer.NOW_NANOS - 600_000_000_000L + 1_000_000L,
                    "cache-miss",
                    List.of(attr("cache.key", "cart-7"))))
            .build(),
        at(span(CHECKOUT, 0xa2, "frontend", "POST /pay"), 10)
            .parentSpanId(0xa1)
            .kind(Span.Kind.CLIENT)
            .addResourceAttribute(attr("host.name", "h1"))
            .addAttribute("peer.service", "payment")
            .addAttribute("http.status_code", 402L)
            .status(Span.Status.ERROR, "card declined")
            .addLink(new SpanLink(LINKED, 0x99, "", List.of()))
            .build(),
        at(span(CHECKOUT, 0xa3, "payment", "POST /pay"), 10)
            .parentSpanId(0xa2)
            .addResourceAttribute(attr("host.name", "h2"))
            .build(),
        at(span(CHECKOUT, 0xa4, "frontend", "render"), 10)
            .parentSpanId(0xa1)
            .kind(Span.Kind.INTERNAL)
            .addResourceAttribute(attr("host.name", "h1-canary"))
            .build());
    server.write(
        at(span(HOME_OK, 0xb1, "frontend", "GET /home"), 5)
            .durationNanos(50_000_000L)
            .addAttribute("http.status_code", 200L)
            .build());
    server.write(
        at(span(HOME_FAILED, 0xc1, "frontend", "GET /home"), 30)
            .durationNanos(2_000_000_000L)
            .addAttribute("http.status_code", 500L)
            .addAttribute("error", true)
            .build());
    server.write(at(span(OLD, 0xd1, "frontend", "GET /home"), 3 * 24 * 60).build());
    server.write(
        at(span(SHORT_ID, 0xe1, "batch", "nightly"), 20).kind(Span.Kind.UNSPECIFIED).build());
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode ok(String pathAndQuery) {
    QueryServer.Reply reply = server.get(pathAndQuery);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode json = reply.json();
    assertThat(json.get("limit").asInt()).isZero();
    assertThat(json.get("offset").asInt()).isZero();
    assertThat(json.has("errors")).isTrue();
    return json;
  }

  private JsonNode error(String pathAndQuery, int status) {
    QueryServer.Reply reply = server.get(pathAndQuery);
    assertThat(reply.status()).as(reply.text()).isEqualTo(status);
    assertThat(reply.contentType()).startsWith("application/json");
    JsonNode json = reply.json();
    assertThat(json.get("data").isNull()).isTrue();
    assertThat(json.get("total").asInt()).isZero();
    assertThat(json.get("limit").asInt()).isZero();
    assertThat(json.get("offset").asInt()).isZero();
    assertThat(json.get("errors")).hasSize(1);
    assertThat(json.get("errors").get(0).get("code").asInt()).isEqualTo(status);
    return json.get("errors").get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  private static List<String> traceIds(JsonNode envelope) {
    List<String> ids = new ArrayList<>();
    envelope.get("data").forEach(trace -> ids.add(trace.get("traceID").asText()));
    return ids;
  }

  private static Map<String, JsonNode> tagsOf(JsonNode tagArray) {
    Map<String, JsonNode> tags = new HashMap<>();
    tagArray.forEach(tag -> tags.put(tag.get("key").asText(), tag));
    assertThat(tags).as("no key twice").hasSize(tagArray.size());
    return tags;
  }

  @Test
  void servicesAreSortedInTheEnvelope() {
    JsonNode json = ok("/api/services");
    assertThat(texts(json.get("data"))).containsExactly("batch", "frontend", "payment");
    assertThat(json.get("total").asInt()).isEqualTo(3);
    assertThat(json.get("errors").isNull()).isTrue();
  }

  @Test
  void operationNamesOfAServiceAreDistinct() {
    JsonNode json = ok("/api/services/frontend/operations");
    assertThat(texts(json.get("data")))
        .containsExactly("GET /checkout", "GET /home", "POST /pay", "render");
    assertThat(texts(ok("/api/services/nobody/operations").get("data"))).isEmpty();
    assertThat(texts(ok("/api/services/" + enc("no such/service") + "/operations").get("data")))
        .isEmpty();
  }

  @Test
  void operationsWithKinds() {
    JsonNode all = ok("/api/operations?service=frontend").get("data");
    Map<String, String> kinds = new HashMap<>();
    all.forEach(op -> kinds.put(op.get("name").asText(), op.get("spanKind").asText()));
    assertThat(kinds)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "GET /checkout", "server",
                "GET /home", "server",
                "POST /pay", "client",
                "render", "internal"));
    JsonNode clients = ok("/api/operations?service=frontend&spanKind=client").get("data");
    assertThat(clients).hasSize(1);
    assertThat(clients.get(0).get("name").asText()).isEqualTo("POST /pay");
    assertThat(clients.get(0).get("spanKind").asText()).isEqualTo("client");
    JsonNode unspecified = ok("/api/operations?service=batch").get("data");
    assertThat(unspecified.get(0).get("spanKind").asText()).isEmpty();
    assertThat(ok("/api/operations?service=frontend&spanKind=").get("data")).hasSize(4);
  }

  @Test
  void operationsNeedAServiceAndAKnownKind() {
    assertThat(error("/api/operations", 400).get("msg").asText()).contains("'service'");
    assertThat(error("/api/operations?service=frontend&spanKind=sideways", 400).get("msg").asText())
        .contains("'spanKind'");
  }

  @Test
  void traceByIdHasJaegersShape() {
    JsonNode json = ok("/api/traces/" + CHECKOUT.toHex());
    assertThat(json.get("total").asInt()).isEqualTo(1);
    assertThat(json.get("errors").isNull()).isTrue();
    JsonNode trace = json.get("data").get(0);
    assertThat(trace.get("traceID").asText()).isEqualTo(CHECKOUT.toHex());
    assertThat(trace.has("warnings") && trace.get("warnings").isNull()).isTrue();
    Map<String, JsonNode> spans = new HashMap<>();
    trace.get("spans").forEach(span -> spans.put(span.get("spanID").asText(), span));
    assertThat(spans)
        .containsOnlyKeys(
            "00000000000000a1", "00000000000000a2", "00000000000000a3", "00000000000000a4");

    JsonNode root = spans.get("00000000000000a1");
    assertThat(root.get("traceID").asText()).isEqualTo(CHECKOUT.toHex());
    assertThat(root.get("operationName").asText()).isEqualTo("GET /checkout");
    assertThat(root.get("flags").asInt()).isEqualTo(1);
    assertThat(root.get("references")).isEmpty();
    assertThat(root.get("startTime").asLong()).isEqualTo(micros(10));
    assertThat(root.get("duration").asLong()).isEqualTo(5_000);
    assertThat(root.get("warnings").isNull()).isTrue();
    Map<String, JsonNode> tags = tagsOf(root.get("tags"));
    assertThat(tags.get("http.method").get("type").asText()).isEqualTo("string");
    assertThat(tags.get("http.method").get("value").asText()).isEqualTo("GET");
    assertThat(tags.get("http.status_code").get("type").asText()).isEqualTo("int64");
    assertThat(tags.get("http.status_code").get("value").isIntegralNumber()).isTrue();
    assertThat(tags.get("http.status_code").get("value").asLong()).isEqualTo(200);
    assertThat(tags.get("sampling.ratio").get("type").asText()).isEqualTo("float64");
    assertThat(tags.get("sampling.ratio").get("value").asDouble()).isEqualTo(0.5);
    assertThat(tags.get("cached").get("type").asText()).isEqualTo("bool");
    assertThat(tags.get("cached").get("value").isBoolean()).isTrue();
    assertThat(tags.get("roles").get("type").asText()).isEqualTo("string");
    assertThat(tags.get("roles").get("value").asText()).isEqualTo("[\"a\",\"b\"]");
    assertThat(tags.get("span.kind").get("value").asText()).isEqualTo("server");
    assertThat(tags.get("otel.status_code").get("value").asText()).isEqualTo("OK");
    assertThat(tags.get("otel.scope.name").get("value").asText())
        .isEqualTo("io.opentelemetry.jetty");
    assertThat(tags.get("otel.scope.version").get("value").asText()).isEqualTo("1.2");
    assertThat(tags.get("w3c.tracestate").get("value").asText()).isEqualTo("vendor=x");
    assertThat(tags).doesNotContainKeys("error", "otel.status_description");
    JsonNode log = root.get("logs").get(0);
    assertThat(log.get("timestamp").asLong()).isEqualTo(micros(10) + 1_000);
    Map<String, JsonNode> fields = tagsOf(log.get("fields"));
    assertThat(fields.get("event").get("value").asText()).isEqualTo("cache-miss");
    assertThat(fields.get("cache.key").get("value").asText()).isEqualTo("cart-7");

    JsonNode client = spans.get("00000000000000a2");
    JsonNode references = client.get("references");
    assertThat(references).hasSize(2);
    assertThat(references.get(0).get("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(references.get(0).get("traceID").asText()).isEqualTo(CHECKOUT.toHex());
    assertThat(references.get(0).get("spanID").asText()).isEqualTo("00000000000000a1");
    assertThat(references.get(1).get("refType").asText()).isEqualTo("FOLLOWS_FROM");
    assertThat(references.get(1).get("traceID").asText()).isEqualTo(LINKED.toHex());
    assertThat(references.get(1).get("spanID").asText()).isEqualTo("0000000000000099");
    Map<String, JsonNode> clientTags = tagsOf(client.get("tags"));
    assertThat(clientTags.get("span.kind").get("value").asText()).isEqualTo("client");
    assertThat(clientTags.get("otel.status_code").get("value").asText()).isEqualTo("ERROR");
    assertThat(clientTags.get("error").get("type").asText()).isEqualTo("bool");
    assertThat(clientTags.get("error").get("value").asBoolean()).isTrue();
    assertThat(clientTags.get("otel.status_description").get("value").asText())
        .isEqualTo("card declined");
    assertThat(client.get("logs")).isEmpty();

    assertThat(
            tagsOf(spans.get("00000000000000a4").get("tags"))
                .get("span.kind")
                .get("value")
                .asText())
        .isEqualTo("internal");
  }

  @Test
  void processesAreOnePerServiceAndResource() {
    JsonNode trace = ok("/api/traces/" + CHECKOUT.toHex()).get("data").get(0);
    JsonNode processes = trace.get("processes");
    assertThat(processes).hasSize(3);
    Map<String, String> processOfSpan = new HashMap<>();
    trace
        .get("spans")
        .forEach(
            span -> processOfSpan.put(span.get("spanID").asText(), span.get("processID").asText()));
    assertThat(processOfSpan.get("00000000000000a1"))
        .isEqualTo(processOfSpan.get("00000000000000a2"));
    assertThat(new HashSet<>(processOfSpan.values())).hasSize(3);
    Set<String> described = new HashSet<>();
    processes
        .fields()
        .forEachRemaining(
            entry -> {
              assertThat(entry.getKey()).matches("p[0-9]+");
              JsonNode process = entry.getValue();
              Map<String, JsonNode> tags = tagsOf(process.get("tags"));
              described.add(
                  process.get("serviceName").asText()
                      + "@"
                      + tags.get("host.name").get("value").asText());
            });
    assertThat(described)
        .containsExactlyInAnyOrder("frontend@h1", "frontend@h1-canary", "payment@h2");
    JsonNode payment = processes.get(processOfSpan.get("00000000000000a3"));
    assertThat(payment.get("serviceName").asText()).isEqualTo("payment");
  }

  @Test
  void traceIdFormsAndErrors() {
    assertThat(traceIds(ok("/api/traces/" + CHECKOUT.toHex().toUpperCase())))
        .containsExactly(CHECKOUT.toHex());
    // A 64-bit id prints as 16 characters, and may be asked for with 16 or 32, or without zeros.
    assertThat(traceIds(ok("/api/traces/0000000000000077"))).containsExactly("0000000000000077");
    assertThat(traceIds(ok("/api/traces/00000000000000000000000000000077")))
        .containsExactly("0000000000000077");
    assertThat(traceIds(ok("/api/traces/77"))).containsExactly("0000000000000077");

    JsonNode notFound = error("/api/traces/" + traceId(999).toHex(), 404);
    assertThat(notFound.get("msg").asText()).contains("trace not found");
    assertThat(error("/api/traces/xyz", 400).get("msg").asText()).contains("'traceID'");
    assertThat(error("/api/traces/" + "1".repeat(33), 400).get("msg").asText())
        .contains("'traceID'");
    assertThat(error("/api/traces/" + "0".repeat(32), 400).get("msg").asText()).contains("zeros");
    // Digits of other scripts are not hex digits.
    assertThat(error("/api/traces/" + enc("\u0661\u0662"), 400).get("msg").asText())
        .contains("'traceID'");
  }

  @Test
  void searchIsNewestFirstWithinTheDefaultLookback() {
    assertThat(traceIds(ok("/api/traces?service=frontend")))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex(), HOME_FAILED.toHex());
    JsonNode json = ok("/api/traces?service=frontend");
    assertThat(json.get("total").asInt()).isEqualTo(3);
    assertThat(json.get("errors").isNull()).isTrue();
    // Search returns whole traces: every span of CHECKOUT, payment's too.
    assertThat(json.get("data").get(1).get("spans")).hasSize(4);
  }

  @Test
  void searchLimit() {
    assertThat(traceIds(ok("/api/traces?service=frontend&limit=2")))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&limit=0"))).hasSize(3);
  }

  @Test
  void searchWithoutServiceFindsEveryService() {
    assertThat(traceIds(ok("/api/traces?lookback=1h")))
        .containsExactly(
            HOME_OK.toHex(), CHECKOUT.toHex(), SHORT_ID.toShortestHex(), HOME_FAILED.toHex());
    assertThat(traceIds(ok("/api/traces?service=payment&lookback=1h")))
        .containsExactly(CHECKOUT.toHex());
  }

  @Test
  void searchByOperation() {
    assertThat(traceIds(ok("/api/traces?service=frontend&operation=" + enc("GET /home"))))
        .containsExactly(HOME_OK.toHex(), HOME_FAILED.toHex());
  }

  @Test
  void tagsAreAndedInBothForms() {
    String status200 = enc("{\"http.status_code\":\"200\"}");
    assertThat(traceIds(ok("/api/traces?service=frontend&tags=" + status200)))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex());
    String both = enc("{\"http.status_code\":\"200\",\"http.method\":\"GET\"}");
    assertThat(traceIds(ok("/api/traces?service=frontend&tags=" + both)))
        .containsExactly(CHECKOUT.toHex());
    assertThat(
            traceIds(
                ok("/api/traces?service=frontend&tag=http.status_code:200&tag=http.method:GET")))
        .containsExactly(CHECKOUT.toHex());
    // Both parameters at once, and a JSON number for the value.
    assertThat(
            traceIds(
                ok(
                    "/api/traces?service=frontend&tag=http.method:GET&tags="
                        + enc("{\"http.status_code\":200}"))))
        .containsExactly(CHECKOUT.toHex());
    // The tags must hold on one span: GET is on a1, 402 on a2.
    assertThat(
            traceIds(
                ok("/api/traces?service=frontend&tag=http.method:GET&tag=http.status_code:402")))
        .isEmpty();
    // Resource attributes match too.
    assertThat(traceIds(ok("/api/traces?tag=host.name:h2"))).containsExactly(CHECKOUT.toHex());
  }

  @Test
  void derivedTagsAreSearchable() {
    // error=true: CHECKOUT by a2's ERROR status, HOME_FAILED by its error attribute.
    assertThat(traceIds(ok("/api/traces?service=frontend&tags=" + enc("{\"error\":\"true\"}"))))
        .containsExactly(CHECKOUT.toHex(), HOME_FAILED.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&tag=span.kind:client")))
        .containsExactly(CHECKOUT.toHex());
    assertThat(
            traceIds(
                ok(
                    "/api/traces?service=frontend&tag=otel.status_code:ERROR&tag=http.status_code:402")))
        .containsExactly(CHECKOUT.toHex());
    assertThat(
            traceIds(
                ok(
                    "/api/traces?service=frontend&tag=otel.status_code:ERROR&tag=http.status_code:200")))
        .isEmpty();
    assertThat(traceIds(ok("/api/traces?tag=otel.scope.name:io.opentelemetry.jetty")))
        .containsExactly(CHECKOUT.toHex());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "minDuration=1.2s|HOME_FAILED",
        "minDuration=1s&maxDuration=1h|HOME_FAILED",
        "minDuration=40ms&maxDuration=2m|HOME_OK HOME_FAILED",
        "minDuration=0.05s&maxDuration=50ms|HOME_OK",
        "maxDuration=10ms|CHECKOUT",
        "maxDuration=5000us|CHECKOUT",
        "maxDuration=5000%C2%B5s|CHECKOUT",
        "maxDuration=4999999ns|",
        "minDuration=0&maxDuration=0|CHECKOUT HOME_OK HOME_FAILED",
        "minDuration=1.5m|",
        "minDuration=1h30m|",
      })
  void durationForms(String query, String expected) {
    Map<String, TraceId> byName =
        Map.of("CHECKOUT", CHECKOUT, "HOME_OK", HOME_OK, "HOME_FAILED", HOME_FAILED);
    List<String> wanted = new ArrayList<>();
    if (expected != null) {
      for (String name : expected.split(" ")) {
        wanted.add(byName.get(name).toHex());
      }
    }
    assertThat(traceIds(ok("/api/traces?service=frontend&" + query)))
        .containsExactlyInAnyOrderElementsOf(wanted);
  }

  @Test
  void timeWindowForms() {
    assertThat(
            traceIds(ok("/api/traces?service=frontend&start=" + micros(20) + "&end=" + micros(0))))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex());
    assertThat(
            traceIds(ok("/api/traces?service=frontend&start=" + micros(40) + "&end=" + micros(7))))
        .containsExactly(CHECKOUT.toHex(), HOME_FAILED.toHex());
    // end is inclusive to the microsecond.
    assertThat(
            traceIds(ok("/api/traces?service=frontend&start=" + micros(5) + "&end=" + micros(5))))
        .containsExactly(HOME_OK.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&lookback=15m")))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&lookback=1h")))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex(), HOME_FAILED.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&lookback=7d")))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex(), HOME_FAILED.toHex(), OLD.toHex());
    // The UI sends lookback=custom with start and end; lookback is then ignored.
    assertThat(
            traceIds(
                ok(
                    "/api/traces?service=frontend&lookback=custom&start="
                        + micros(20)
                        + "&end="
                        + micros(0))))
        .containsExactly(HOME_OK.toHex(), CHECKOUT.toHex());
    assertThat(traceIds(ok("/api/traces?service=frontend&end=" + micros(8) + "&lookback=1h")))
        .containsExactly(CHECKOUT.toHex(), HOME_FAILED.toHex());
  }

  @Test
  void lookupByTraceIdsReportsTheMissing() {
    JsonNode json =
        ok(
            "/api/traces?traceID="
                + CHECKOUT.toHex()
                + "&traceID=77&traceID="
                + traceId(555).toHex());
    assertThat(traceIds(json)).containsExactly(CHECKOUT.toHex(), "0000000000000077");
    assertThat(json.get("errors")).hasSize(1);
    assertThat(json.get("errors").get(0).get("traceID").asText()).isEqualTo(traceId(555).toHex());
    assertThat(json.get("errors").get(0).get("msg").asText()).contains("not found");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "start=abc|'start'",
        "start=-5|'start'",
        "end=1e6|'end'",
        "end=99999999999999999999|'end'",
        "end=9223372036854775807|'end'",
        "minDuration=5|'minDuration'",
        "minDuration=5parsecs|'minDuration'",
        "minDuration=-1s|'minDuration'",
        "maxDuration=1s&minDuration=2s|'maxDuration'",
        "lookback=yesterday|'lookback'",
        "limit=-1|'limit'",
        "limit=ten|'limit'",
        "tags=%7Bbad|'tags'",
        "tags=%5B%5D|'tags'",
        "tags=%7B%22a%22%3A%7B%7D%7D|'tags'",
        "tag=nocolon|'tag'",
        "tag=%3Avalue|'tag'",
        "traceID=zz|'traceID'",
      })
  void badSearchParametersAre400sNamingTheParameter(String query, String parameter) {
    assertThat(error("/api/traces?service=frontend&" + query, 400).get("msg").asText())
        .contains(parameter);
    // ... and the server keeps serving.
    assertThat(traceIds(ok("/api/traces?service=frontend"))).hasSize(3);
  }

  @Test
  void startAfterEndIsRefused() {
    assertThat(
            error("/api/traces?service=frontend&start=" + micros(0) + "&end=" + micros(5), 400)
                .get("msg")
                .asText())
        .contains("'start'");
  }

  @Test
  void dependencies() {
    long minute = QueryServer.NOW.toEpochMilli() - 120_000L;
    long oldMinute = QueryServer.NOW.toEpochMilli() - 3 * 86_400_000L;
    server.store.writeLinks(
        minute,
        List.of(
            new DependencyLink("frontend", "payment", 7, 2),
            new DependencyLink("payment", "bank", 3, 0)));
    server.store.writeLinks(oldMinute, List.of(new DependencyLink("frontend", "legacy", 1, 0)));
    JsonNode json = ok("/api/dependencies?endTs=" + QueryServer.NOW.toEpochMilli());
    Map<String, Long> calls = new HashMap<>();
    json.get("data")
        .forEach(
            link -> {
              assertThat(link.has("errorCount")).isFalse();
              calls.put(
                  link.get("parent").asText() + ">" + link.get("child").asText(),
                  link.get("callCount").asLong());
            });
    assertThat(calls)
        .containsExactlyInAnyOrderEntriesOf(Map.of("frontend>payment", 7L, "payment>bank", 3L));
    assertThat(ok("/api/dependencies").get("data")).hasSize(2); // endTs defaults to now
    assertThat(ok("/api/dependencies?lookback=" + 4 * 86_400_000L).get("data")).hasSize(3);
    assertThat(ok("/api/dependencies?lookback=60000").get("data")).isEmpty();
    assertThat(ok("/api/dependencies?service=bank").get("data")).hasSize(1);
    assertThat(error("/api/dependencies?endTs=now", 400).get("msg").asText()).contains("'endTs'");
    assertThat(error("/api/dependencies?lookback=1h", 400).get("msg").asText())
        .contains("'lookback'");
  }

  @Test
  void unknownPathsAre404s() {
    assertThat(error("/api/nothing/here", 404).get("msg").asText()).contains("/api/nothing/here");
    assertThat(error("/api/traces/" + CHECKOUT.toHex() + "/extra", 404)).isNotNull();
    QueryServer.Reply zipkin = server.get("/api/v2/nothing");
    assertThat(zipkin.status()).isEqualTo(404);
    assertThat(zipkin.contentType()).startsWith("text/plain");
    assertThat(server.get("/not-an-api").status()).isEqualTo(404);
  }

  @Test
  void storeCallsAreTimed() {
    long before = server.api.stats().get(QueryStats.Call.FIND_TRACE_IDS).count();
    ok("/api/traces?service=frontend");
    QueryStats.CallStats after = server.api.stats().get(QueryStats.Call.FIND_TRACE_IDS);
    assertThat(after.count()).isEqualTo(before + 1);
    assertThat(after.totalNanos()).isPositive();
    assertThat(server.api.stats().get(QueryStats.Call.READ_TRACE).count()).isPositive();
  }
}
