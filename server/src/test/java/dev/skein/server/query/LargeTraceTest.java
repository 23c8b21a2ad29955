package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A 100,000-span trace comes back whole, streamed rather than built up in memory first. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeTraceTest {
  static final int SPANS = 100_000;
  static final TraceId BIG = new TraceId(0x1234L, 0x5678L);

  QueryServer server;

  @BeforeAll
  void start() {
    server = new QueryServer();
    List<Span> batch = new ArrayList<>();
    for (int i = 1; i <= SPANS; i++) {
      batch.add(
          TestSpans.span(BIG, i, i % 2 == 0 ? "even" : "odd", "op-" + (i % 50))
              .parentSpanId(i == 1 ? 0 : (i / 2))
              .addAttribute("index", (long) i)
              .addAttribute("http.url", "https://shop.example/items/" + i)
              .build());
      if (batch.size() == 10_000) {
        server.store.write(batch);
        batch.clear();
      }
    }
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** Reads the body with a streaming parser, marking each span id in {@code seen}. */
  private HttpResponse<InputStream> open(String path) throws Exception {
    return server
        .client()
        .send(
            HttpRequest.newBuilder(server.uri(path)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
  }

  private static int countSpanIds(InputStream body, String idField, BitSet seen)
      throws IOException {
    int count = 0;
    try (JsonParser parser = QueryServer.MAPPER.getFactory().createParser(body)) {
      JsonToken token;
      int depth = 0;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        } else if (token == JsonToken.FIELD_NAME && parser.currentName().equals(idField)) {
          parser.nextToken();
          // Only the span's own id, not the ids inside references (deeper objects).
          if (isSpanLevel(depth, idField)) {
            int id = Integer.parseInt(parser.getText(), 16);
            assertThat(seen.get(id)).as("span %d twice", id).isFalse();
            seen.set(id);
            count++;
          }
        }
      }
    }
    return count;
  }

  private static boolean isSpanLevel(int depth, String idField) {
    // Jaeger: {data:[{spans:[{spanID}]}]} -> depth 5; Zipkin: [{id}] -> depth 2.
    return idField.equals("spanID") ? depth == 5 : depth == 2;
  }

  @Test
  void jaegerTraceIsComplete() throws Exception {
    HttpResponse<InputStream> response = open("/api/traces/" + BIG.toHex());
    assertThat(response.statusCode()).isEqualTo(200);
    // Streamed: the length was not known when the response started.
    assertThat(response.headers().firstValue("content-length")).isEmpty();
    BitSet seen = new BitSet();
    assertThat(countSpanIds(response.body(), "spanID", seen)).isEqualTo(SPANS);
    assertThat(seen.cardinality()).isEqualTo(SPANS);
    assertThat(seen.nextSetBit(0)).isEqualTo(1);
    assertThat(seen.previousSetBit(SPANS)).isEqualTo(SPANS);
  }

  @Test
  void zipkinTraceIsComplete() throws Exception {
    HttpResponse<InputStream> response = open("/api/v2/trace/" + BIG.toHex());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-length")).isEmpty();
    BitSet seen = new BitSet();
    assertThat(countSpanIds(response.body(), "id", seen)).isEqualTo(SPANS);
    assertThat(seen.cardinality()).isEqualTo(SPANS);
  }

  @Test
  void jaegerProcessesStayTwo() throws Exception {
    QueryServer.Reply reply = server.get("/api/traces/" + BIG.toHex());
    assertThat(reply.json().get("data").get(0).get("processes")).hasSize(2);
  }

  @Test
  void aClientLeavingMidStreamLeavesTheServerServing() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<InputStream> response = open("/api/traces/" + BIG.toHex());
      try (InputStream body = response.body()) {
        assertThat(body.readNBytes(10_000)).hasSize(10_000);
      }
    }
    assertThat(server.get("/api/services").json().get("data")).hasSize(2);
    long readsBefore = server.api.stats().get(QueryStats.Call.READ_TRACE).count();
    assertThat(server.get("/api/v2/trace/" + BIG.toHex()).status()).isEqualTo(200);
    assertThat(server.api.stats().get(QueryStats.Call.READ_TRACE).count())
        .isGreaterThan(readsBefore);
  }
}
