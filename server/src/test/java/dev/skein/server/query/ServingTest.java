package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.skein.storage.MemorySpanStore;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routes among others on one server, and failures of the store. */
class ServingTest {

  @Test
  void exactRoutesOfOthersWinOverTheFallback() throws Exception {
    try (QueryServer server =
        new QueryServer(
            new MemorySpanStore(),
            sb -> {
              sb.service("/api/sampling", (ctx, req) -> HttpResponse.of("sampling"));
              sb.route()
                  .post("/api/v2/spans")
                  .build((ctx, req) -> HttpResponse.of(HttpStatus.ACCEPTED));
            })) {
      assertThat(server.get("/api/sampling").text()).isEqualTo("sampling");
      var post =
          server
              .client()
              .send(
                  HttpRequest.newBuilder(server.uri("/api/v2/spans"))
                      .POST(HttpRequest.BodyPublishers.ofString("[]"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.discarding());
      assertThat(post.statusCode()).isEqualTo(202);
      // GET on the same path is still the Zipkin query API's.
      assertThat(server.get("/api/v2/spans?serviceName=x").text()).isEqualTo("[]");
      assertThat(server.get("/api/unknown").status()).isEqualTo(404);
    }
  }

  @Test
  void aFailingStoreGives500sInEachApisFormat() {
    MemorySpanStore store = new MemorySpanStore();
    try (QueryServer server = new QueryServer(store, sb -> {})) {
      store.close(); // every call now throws StoreException
      QueryServer.Reply jaeger = server.get("/api/services");
      assertThat(jaeger.status()).isEqualTo(500);
      JsonNode error = jaeger.json().get("errors").get(0);
      assertThat(error.get("code").asInt()).isEqualTo(500);
      assertThat(error.get("msg").asText()).contains("store is closed");
      assertThat(jaeger.json().get("data").isNull()).isTrue();

      QueryServer.Reply zipkin = server.get("/api/v2/traces");
      assertThat(zipkin.status()).isEqualTo(500);
      assertThat(zipkin.contentType()).startsWith(MediaType.PLAIN_TEXT.toString());
      assertThat(zipkin.text()).contains("store is closed");

      assertThat(server.get("/api/traces/" + TestSpans.traceId(1).toHex()).status()).isEqualTo(500);
      assertThat(server.get("/api/skein/metrics").status()).isEqualTo(500);

      QueryStats.CallStats services = server.api.stats().get(QueryStats.Call.SERVICES);
      assertThat(services.count()).isEqualTo(1);
      assertThat(services.errors()).isEqualTo(1);
    }
  }

  @Test
  void limitsAreCappedAtMaxTraces() {
    try (QueryServer server = new QueryServer()) {
      // 60 traces, one a minute; the fixture caps results at 50.
      for (int i = 1; i <= 60; i++) {
        server.write(
            TestSpans.at(TestSpans.span(TestSpans.traceId(i), i, "bulk", "job"), i).build());
      }
      JsonNode jaeger = server.get("/api/traces?service=bulk&limit=1000").json().get("data");
      assertThat(jaeger).hasSize(50);
      // Newest first: the trace of one minute ago, then two, ...
      assertThat(jaeger.get(0).get("traceID").asText()).isEqualTo(TestSpans.traceId(1).toHex());
      assertThat(jaeger.get(49).get("traceID").asText()).isEqualTo(TestSpans.traceId(50).toHex());
      assertThat(server.get("/api/v2/traces?serviceName=bulk&limit=99999").json()).hasSize(50);
      assertThat(server.get("/api/traces?service=bulk").json().get("data")).hasSize(20);
      assertThat(server.get("/api/v2/traces?serviceName=bulk").json()).hasSize(10);
      StringBuilder ids = new StringBuilder();
      for (int i = 1; i <= 51; i++) {
        ids.append(i > 1 ? "," : "").append(TestSpans.traceId(i).toHex());
      }
      assertThat(server.get("/api/v2/traceMany?traceIds=" + ids).status()).isEqualTo(400);
    }
  }

  @Test
  void manyBadRequestsInARowDoNotStopTheServer() {
    try (QueryServer server = new QueryServer()) {
      server.write(TestSpans.span(TestSpans.traceId(1), 1, "svc", "op").build());
      for (String bad :
          List.of(
              "/api/traces?tags=%7B",
              "/api/traces?start=x",
              "/api/traces/%00",
              "/api/v2/traces?annotationQuery=%3D",
              "/api/v2/trace/zz",
              "/api/operations",
              "/api/skein/metrics?end=x")) {
        for (int i = 0; i < 20; i++) {
          assertThat(server.get(bad).status()).as(bad).isEqualTo(400);
        }
      }
      assertThat(server.get("/api/services").json().get("data")).hasSize(1);
    }
  }
}
