package dev.skein.conformance;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.skein.propagation.Carriers;
import dev.skein.propagation.TraceContextPropagator;
import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.sampling.Samplers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The service that the official W3C trace-context test suite (w3c/trace-context, {@code
 * test/test.py}) drives: it receives {@code POST /test} with crafted {@code traceparent} and {@code
 * tracestate} headers and a JSON array of {@code {"url": ..., "arguments": ...}}, and for each
 * entry POSTs {@code arguments} to {@code url} from a client span whose parent is the incoming
 * context. The suite then checks the headers it receives, so what it judges is Skein's propagator
 * and tracer; this class only wires them to HTTP.
 */
final class W3cConformanceService {

  private static final Logger logger = Logger.getLogger(W3cConformanceService.class.getName());
  private static final int DEFAULT_PORT = 5000;
  // The suite gives up on a test after 5 seconds; a callback that takes longer is lost anyway.
  private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  // HTTP/1.1 on purpose: the default first tries an h2c upgrade, headers the suite never asked for.
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CALLBACK_TIMEOUT)
          .build();

  W3cConformanceService(SkeinSdk sdk) {
    this.tracer = sdk.getTracer("dev.skein.conformance");
    this.propagator = sdk.getPropagators().getTextMapPropagator();
  }

  public static void main(String[] args) throws IOException {
    int port;
    try {
      port = port(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(
          "usage: W3cConformanceService [--port N]   (default " + DEFAULT_PORT + ")");
      System.exit(2);
      return;
    }
    SkeinSdk sdk =
        SkeinSdk.builder()
            .setServiceName("skein-w3c-conformance")
            // The suite sends sampled and unsampled parents; parent-based keeps their flag as is.
            .setSampler(Samplers.parentBased(Samplers.alwaysOn()))
            .setPropagators(ContextPropagators.create(TraceContextPropagator.getInstance()))
            .build();
    W3cConformanceService service = new W3cConformanceService(sdk);

    // Loopback only: the service calls whatever URL it is sent, so it must not face a network.
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/test", service::handle);
    // Several threads: a request blocks while its callbacks run, and must not hold up the next one.
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  sdk.close();
                }));
    System.out.println(
        "W3C trace-context test service listening on http://127.0.0.1:"
            + server.getAddress().getPort()
            + "/test");
  }

  static int port(String[] args) {
    if (args.length == 0) {
      return DEFAULT_PORT;
    }
    if (args.length == 2 && args[0].equals("--port")) {
      try {
        int port = Integer.parseInt(args[1]);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("not a port: " + args[1]);
    }
    throw new IllegalArgumentException("unexpected arguments: " + String.join(" ", args));
  }

  /**
   * Answers every request, whatever went wrong, so that one bad request never stops the service.
   */
  void handle(HttpExchange exchange) {
    try {
      serve(exchange);
    } catch (IOException | RuntimeException e) {
      logger.log(Level.WARNING, "request failed", e);
      try {
        respond(exchange, 500, "internal error: " + e);
      } catch (IOException | RuntimeException ignored) {
        // The response had already started or the client is gone: nothing more to tell it.
      }
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestMethod().equals("POST")) {
      respond(exchange, 405, "POST a JSON array of {\"url\": ..., \"arguments\": ...}");
      return;
    }
    List<Callback> callbacks;
    try {
      callbacks = Callback.parseAll(exchange.getRequestBody().readAllBytes());
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, e.getMessage());
      return;
    }

    // This getter's getAll hands over every header of a name: the suite sends two traceparent
    // headers (which must restart the trace) and splits tracestate over several (to be joined).
    Context incoming =
        propagator.extract(
            Context.root(), exchange.getRequestHeaders(), Carriers.httpServerHeadersGetter());
    Span server =
        tracer
            .spanBuilder("POST /test")
            .setParent(incoming)
            .setSpanKind(SpanKind.SERVER)
            .startSpan();
    List<String> failures = new ArrayList<>();
    try (Scope ignored = server.makeCurrent()) {
      for (Callback callback : callbacks) {
        String failure = call(callback);
        if (failure != null) {
          failures.add(failure);
        }
      }
    } finally {
      server.end();
    }
    if (failures.isEmpty()) {
      respond(exchange, 200, "made " + callbacks.size() + " callback(s)");
    } else {
      respond(exchange, 502, "callbacks failed:\n" + String.join("\n", failures));
    }
  }

  /** POSTs one callback from a client span; returns null when it was delivered, else why not. */
  private String call(Callback callback) {
    Span span = tracer.spanBuilder("POST").setSpanKind(SpanKind.CLIENT).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(callback.url())
              .timeout(CALLBACK_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(callback.body()));
      propagator.inject(Context.current(), request, Carriers.httpRequestSetter());
      int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
      span.setAttribute("http.response.status_code", status);
      return null;
    } catch (IOException e) {
      span.setStatus(StatusCode.ERROR, e.toString());
      return callback.url() + ": " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      span.setStatus(StatusCode.ERROR, "interrupted");
      return callback.url() + ": interrupted";
    } finally {
      span.end();
    }
  }

  private static void respond(HttpExchange exchange, int status, String message)
      throws IOException {
    byte[] body = (message + "\n").getBytes(UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  /** One entry of the request: where to POST, and the JSON to send there. */
  record Callback(URI url, String body) {

    /**
     * Reads the whole request before any callback is made, so a bad request makes none.
     *
     * @throws IllegalArgumentException saying what is wrong with the request
     */
    static List<Callback> parseAll(byte[] body) {
      JsonNode root;
      try {
        root = JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
      }
      if (root == null || !root.isArray()) {
        throw new IllegalArgumentException("expected a JSON array of {\"url\", \"arguments\"}");
      }
      List<Callback> callbacks = new ArrayList<>(root.size());
      for (JsonNode entry : root) {
        JsonNode url = entry.path("url");
        if (!url.isTextual()) {
          throw new IllegalArgumentException("entry without a \"url\" string: " + entry);
        }
        JsonNode arguments = entry.path("arguments");
        // The suite sends [] for "nothing further"; a missing or null value means the same.
        // JsonNode.toString() writes standard JSON (Jackson 2.10 and later).
        String json = arguments.isMissingNode() || arguments.isNull() ? "[]" : arguments.toString();
        callbacks.add(new Callback(httpUri(url.asText()), json));
      }
      return callbacks;
    }

    private static URI httpUri(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a URL: " + url);
      }
      if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL: " + url);
      }
      return uri;
    }
  }
}
