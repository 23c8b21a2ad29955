package dev.skein.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.skein.storage.MemorySpanStore;
import dev.skein.storage.Span;
import dev.skein.storage.SpanStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

/** A real Armeria server on 127.0.0.1 and an OS-chosen port, serving {@link QueryApi}. */
final class QueryServer implements AutoCloseable {
  /** "Now" for every test: 2026-03-01T12:00:00Z. */
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static final long NOW_NANOS = NOW.toEpochMilli() * 1_000_000L;

  static final ObjectMapper MAPPER = new ObjectMapper();

  final SpanStore store;
  final QueryApi api;
  private final Server server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  QueryServer() {
    this(new MemorySpanStore(), sb -> {});
  }

  QueryServer(SpanStore store, Consumer<ServerBuilder> extraRoutes) {
    this.store = store;
    this.api = new QueryApi(store, Clock.fixed(NOW, ZoneOffset.UTC), 50);
    ServerBuilder sb =
        Server.builder()
            .http(new InetSocketAddress("127.0.0.1", 0))
            .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    api.registerOn(sb);
    extraRoutes.accept(sb);
    server = sb.build();
    server.start().join();
  }

  void write(Span... spans) {
    store.write(List.of(spans));
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.activeLocalPort() + pathAndQuery);
  }

  /** Status and body of a GET; the path and query must be encoded already. */
  Reply get(String pathAndQuery) {
    try {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpClient client() {
    return client;
  }

  record Reply(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }
  }

  @Override
  public void close() {
    server.stop().join();
    store.close();
  }
}
