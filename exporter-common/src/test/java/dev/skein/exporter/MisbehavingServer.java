package dev.skein.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts, one per request in order (the last
 * repeats), recording what it received.
 */
final class MisbehavingServer implements AutoCloseable {

  /** What the server does with one request. */
  interface Behaviour {
    void handle(HttpExchange exchange) throws IOException;
  }

  /** One request as received: headers of interest and the (decompressed) body. */
  record Received(String contentType, String contentEncoding, String authorization, byte[] body) {}

  private final HttpServer server;
  private final List<Behaviour> script = new CopyOnWriteArrayList<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();

  /** Released when the test ends, so handlers that hang (slow server) return. */
  final CountDownLatch release = new CountDownLatch(1);

  MisbehavingServer(Behaviour... behaviours) throws IOException {
    answer(behaviours);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          arrivalNanos.add(System.nanoTime());
          byte[] body = readBody(exchange);
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  exchange.getRequestHeaders().getFirst("Content-Encoding"),
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  body));
          int index = Math.min(received.size(), script.size()) - 1;
          script.get(index).handle(exchange);
          exchange.close();
        });
    server.start();
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  /** Scripts the answers: one per request in order, the last one repeating. */
  void answer(Behaviour... behaviours) {
    script.clear();
    script.addAll(List.of(behaviours));
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  static Behaviour status(int code, String body, String... headerPairs) {
    return exchange -> {
      for (int i = 0; i < headerPairs.length; i += 2) {
        exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
      }
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    };
  }

  static Behaviour ok() {
    return status(200, "");
  }

  /** Waits for the test to end before answering: slower than any timeout a test sets. */
  Behaviour hang() {
    return exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      status(200, "").handle(exchange);
    };
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
