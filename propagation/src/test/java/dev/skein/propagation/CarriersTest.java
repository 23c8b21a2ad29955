package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CarriersTest {

  private static final String TRACE_ID = "80f198ee56343ba864fe8b2a57d3eff7";
  private static final String SPAN_ID = "e457b5a2e4d86bd1";

  @Test
  void mapGetter_exactKeyFirst_thenAnyCase() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("B3", "upper");
    map.put("b3", "exact");
    map.put("X-B3-TraceId", "trace");

    assertThat(Carriers.mapGetter().get(map, "b3")).isEqualTo("exact");
    assertThat(Carriers.mapGetter().get(map, "x-b3-traceid")).isEqualTo("trace");
    assertThat(Carriers.mapGetter().get(map, "missing")).isNull();
  }

  @Test
  void mapGetter_getAll_returnsEveryCaseVariantInMapOrder() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("baggage", "a=1");
    map.put("other", "x");
    map.put("Baggage", "b=2");
    map.put("BAGGAGE", "c=3");

    assertThat(list(Carriers.mapGetter().getAll(map, "baggage")))
        .containsExactly("a=1", "b=2", "c=3");
    assertThat(list(Carriers.mapGetter().getAll(map, "other"))).containsExactly("x");
    assertThat(list(Carriers.mapGetter().getAll(map, "missing"))).isEmpty();
  }

  @Test
  @SuppressWarnings("deprecation")
  void mapGetter_keys_areTheMapKeys() {
    assertThat(Carriers.mapGetter().keys(Map.of("a", "1", "b", "2"))).containsOnly("a", "b");
  }

  @Test
  @SuppressWarnings("deprecation")
  void getters_nullCarrierOrKey_readAsEmpty() {
    assertThat(Carriers.mapGetter().get(null, "b3")).isNull();
    assertThat(Carriers.mapGetter().get(Map.of("a", "1"), null)).isNull();
    assertThat(Carriers.mapGetter().getAll(null, "b3")).isExhausted();
    assertThat(Carriers.mapGetter().keys(null)).isEmpty();
    assertThat(Carriers.httpHeadersGetter().get(null, "b3")).isNull();
    assertThat(Carriers.httpHeadersGetter().getAll(null, "b3")).isExhausted();
    assertThat(Carriers.httpHeadersGetter().keys(null)).isEmpty();
    assertThat(Carriers.httpServerHeadersGetter().get(null, "b3")).isNull();
    assertThat(Carriers.httpServerHeadersGetter().get(new Headers(), null)).isNull();
    assertThat(Carriers.httpServerHeadersGetter().getAll(null, "b3")).isExhausted();
    assertThat(Carriers.httpServerHeadersGetter().keys(null)).isEmpty();
  }

  @Test
  void setters_nullCarrier_writeNothingAndThrowNothing() {
    assertThatCode(
            () -> {
              Carriers.mapSetter().set(null, "b3", "1");
              Carriers.httpRequestSetter().set(null, "b3", "1");
              Carriers.httpServerHeadersSetter().set(null, "b3", "1");
            })
        .doesNotThrowAnyException();
  }

  @Test
  void mapSetter_putsTheHeader() {
    Map<String, String> map = new TreeMap<>();

    Carriers.mapSetter().set(map, "b3", "1");

    assertThat(map).containsExactly(Map.entry("b3", "1"));
  }

  @Test
  @SuppressWarnings("deprecation")
  void httpHeadersGetter_readsAnyCaseAndEveryValue() {
    HttpHeaders headers =
        HttpHeaders.of(
            Map.of("Baggage", List.of("a=1", "b=2"), "b3", List.of("1")), (name, value) -> true);

    assertThat(Carriers.httpHeadersGetter().get(headers, "BAGGAGE")).isEqualTo("a=1");
    assertThat(list(Carriers.httpHeadersGetter().getAll(headers, "baggage")))
        .containsExactly("a=1", "b=2");
    assertThat(Carriers.httpHeadersGetter().get(headers, "missing")).isNull();
    assertThat(Carriers.httpHeadersGetter().keys(headers)).containsOnly("Baggage", "b3");
  }

  @Test
  @SuppressWarnings("deprecation")
  void httpServerHeaders_readAnyCaseAndEveryValueInOrder() {
    Headers headers = new Headers();
    Carriers.httpServerHeadersSetter().set(headers, "baggage", "a=1");
    headers.add("BAGGAGE", "b=2");
    headers.add("uberctx-k", "v");

    assertThat(Carriers.httpServerHeadersGetter().get(headers, "Baggage")).isEqualTo("a=1");
    assertThat(list(Carriers.httpServerHeadersGetter().getAll(headers, "baggage")))
        .containsExactly("a=1", "b=2");
    assertThat(list(Carriers.httpServerHeadersGetter().getAll(headers, "missing"))).isEmpty();
    assertThat(Carriers.httpServerHeadersGetter().keys(headers))
        .extracting(String::toLowerCase)
        .containsOnly("baggage", "uberctx-k");
  }

  @Test
  void httpServerHeadersSetter_replacesTheValue() {
    Headers headers = new Headers();
    headers.add("b3", "old");

    Carriers.httpServerHeadersSetter().set(headers, "B3", "new");

    assertThat(headers.get("b3")).containsExactly("new");
  }

  @Test
  void httpRequestSetter_setsAndReplacesHeaders() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1/"));
    builder.header("b3", "old");

    Carriers.httpRequestSetter().set(builder, "b3", "new");
    Carriers.httpRequestSetter().set(builder, "baggage", "k=v");

    HttpHeaders headers = builder.build().headers();
    assertThat(headers.allValues("b3")).containsExactly("new");
    assertThat(headers.firstValue("baggage")).hasValue("k=v");
  }

  @Test
  void httpRequestSetter_refusedHeader_isSkippedNotThrown() {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1/"));

    assertThatCode(
            () -> {
              Carriers.httpRequestSetter().set(builder, "Connection", "close");
              Carriers.httpRequestSetter().set(builder, "bad name", "v");
              Carriers.httpRequestSetter().set(builder, "b3", "bad\r\nvalue");
            })
        .doesNotThrowAnyException();
    assertThat(builder.build().headers().map()).isEmpty();
  }

  @Test
  void jdkClientAndServer_roundTripTraceDebugAndBaggageBothWays() throws Exception {
    TextMapPropagator propagator = Propagators.fromNames("b3,jaeger,baggage");
    TextMapPropagator reply = Propagators.fromNames("b3multi,baggage");
    AtomicReference<Context> atServer = new AtomicReference<>();
    AtomicReference<List<String>> baggageHeadersAtServer = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Headers request = exchange.getRequestHeaders();
          baggageHeadersAtServer.set(request.get("baggage"));
          Context extracted =
              propagator.extract(Context.root(), request, Carriers.httpServerHeadersGetter());
          atServer.set(extracted);
          reply.inject(
              extracted, exchange.getResponseHeaders(), Carriers.httpServerHeadersSetter());
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
    try {
      Context sent =
          Context.root()
              .with(Baggage.builder().put("user", "Amélie, 100%").put("region", "eu west").build());
      sent =
          B3Propagator.injectingSingleHeader()
              .extract(sent, Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-d"), Carriers.mapGetter());
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
              .version(HttpClient.Version.HTTP_1_1)
              .timeout(Duration.ofSeconds(10));
      propagator.inject(sent, builder, Carriers.httpRequestSetter());
      // A second baggage header, as a proxy might add: the server must read both.
      builder.header("baggage", "extra=1");

      HttpResponse<Void> response =
          HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.discarding());

      assertThat(baggageHeadersAtServer.get()).hasSize(2);
      Context server1 = atServer.get();
      SpanContext expected = Span.fromContext(sent).getSpanContext();
      assertThat(Span.fromContext(server1).getSpanContext()).isEqualTo(expected);
      assertThat(Baggage.fromContext(server1).getEntryValue("user")).isEqualTo("Amélie, 100%");
      assertThat(Baggage.fromContext(server1).getEntryValue("region")).isEqualTo("eu west");
      assertThat(Baggage.fromContext(server1).getEntryValue("extra")).isEqualTo("1");

      HttpHeaders headers = response.headers();
      assertThat(headers.firstValue("x-b3-flags")).hasValue("1");
      Context back = reply.extract(Context.root(), headers, Carriers.httpHeadersGetter());
      assertThat(Span.fromContext(back).getSpanContext()).isEqualTo(expected);
      assertThat(Baggage.fromContext(back).getEntryValue("user")).isEqualTo("Amélie, 100%");
      Map<String, String> again = new LinkedHashMap<>();
      B3Propagator.injectingSingleHeader().inject(back, again, Carriers.mapSetter());
      assertThat(again.get("b3")).endsWith("-d");
    } finally {
      server.stop(0);
    }
  }

  private static List<String> list(Iterator<String> values) {
    List<String> out = new ArrayList<>();
    values.forEachRemaining(out::add);
    return out;
  }
}
