package dev.skein.exporter;

import static dev.skein.exporter.MisbehavingServer.ok;
import static dev.skein.exporter.MisbehavingServer.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Delivery over real HTTP to a local server that misbehaves in each of the ways a backend does:
 * down, slow, overloaded, refusing, resetting the connection, answering too much.
 */
class HttpDeliveryTest {

  private static final byte[] PAYLOAD = "twelve bytes".getBytes(StandardCharsets.UTF_8);

  /** Quick retries so tests do not wait for the production backoff. */
  private static final RetryPolicy FAST_RETRIES =
      new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), 2, Duration.ofSeconds(5));

  private static Delivery delivery(URI uri, RetryPolicy policy) {
    return delivery(HttpTransport.builder(uri).timeout(Duration.ofSeconds(5)).build(), policy);
  }

  private static Delivery delivery(Transport transport, RetryPolicy policy) {
    return Delivery.builder("test exporter", transport).retryPolicy(policy).build();
  }

  private static Throwable failureOf(CompletableFuture<Void> result) {
    try {
      result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("the delivery succeeded");
  }

  @Test
  void acceptedBatchIsCountedAsExported() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer(ok())) {
      Delivery delivery = delivery(server.uri(), FAST_RETRIES);

      delivery.deliver(PAYLOAD, 7).get(10, TimeUnit.SECONDS);

      assertThat(server.received).hasSize(1);
      assertThat(server.received.get(0).body()).isEqualTo(PAYLOAD);
      assertThat(delivery.stats().exportedSpans()).isEqualTo(7);
      assertThat(delivery.stats().failedSpans()).isZero();
      assertThat(delivery.stats().retries()).isZero();
    }
  }

  @Test
  void headersContentTypeAndGzipArrive() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer(ok())) {
      Transport transport =
          HttpTransport.builder(server.uri())
              .contentType("application/x-protobuf")
              .header("Authorization", "Bearer secret")
              .compression("gzip")
              .build();

      delivery(transport, FAST_RETRIES).deliver(PAYLOAD, 1).get(10, TimeUnit.SECONDS);

      MisbehavingServer.Received request = server.received.get(0);
      assertThat(request.contentType()).isEqualTo("application/x-protobuf");
      assertThat(request.contentEncoding()).isEqualTo("gzip");
      assertThat(request.authorization()).isEqualTo("Bearer secret");
      assertThat(request.body()).isEqualTo(PAYLOAD); // the server un-gzipped it
    }
  }

  @Test
  void backendDownIsRetriedThenFailsAndCounted() throws Exception {
    URI closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1/traces");
    }
    Delivery delivery = delivery(closedPort, FAST_RETRIES);

    Throwable failure = failureOf(delivery.deliver(PAYLOAD, 5));

    assertThat(failure)
        .isInstanceOf(Delivery.ExportException.class)
        .hasMessageContaining("cannot reach")
        .hasMessageContaining("gave up after 3 attempts");
    assertThat(delivery.stats().failedSpans()).isEqualTo(5);
    assertThat(delivery.stats().retries()).isEqualTo(2);
    assertThat(delivery.stats().exportedSpans()).isZero();
  }

  @Test
  void slowBackendTimesOutAndIsRetried() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer()) {
      server.answer(server.hang(), ok());
      Transport transport =
          HttpTransport.builder(server.uri()).timeout(Duration.ofMillis(300)).build();
      Delivery delivery = delivery(transport, FAST_RETRIES);

      delivery.deliver(PAYLOAD, 2).get(20, TimeUnit.SECONDS);

      assertThat(server.received).hasSize(2);
      assertThat(delivery.stats().retries()).isEqualTo(1);
      assertThat(delivery.stats().exportedSpans()).isEqualTo(2);
    }
  }

  @Test
  void timeoutWithoutRetriesFailsWithTheReason() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer()) {
      server.answer(server.hang());
      Transport transport =
          HttpTransport.builder(server.uri()).timeout(Duration.ofMillis(200)).build();
      Delivery delivery = delivery(transport, RetryPolicy.none());

      assertThat(failureOf(delivery.deliver(PAYLOAD, 3)))
          .hasMessageContaining("no response within PT0.2S");
      assertThat(delivery.stats().failedSpans()).isEqualTo(3);
    }
  }

  @Test
  void retryAfterIsHonoured() throws Exception {
    try (MisbehavingServer server =
        new MisbehavingServer(status(503, "busy", "Retry-After", "1"), ok())) {
      Delivery delivery = delivery(server.uri(), FAST_RETRIES);

      delivery.deliver(PAYLOAD, 4).get(20, TimeUnit.SECONDS);

      assertThat(server.received).hasSize(2);
      long waited = server.arrivalNanos.get(1) - server.arrivalNanos.get(0);
      // The policy's own backoff is at most 20 ms: only Retry-After explains a wait of 1 s.
      assertThat(waited).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
      assertThat(delivery.stats().exportedSpans()).isEqualTo(4);
      assertThat(delivery.stats().retries()).isEqualTo(1);
    }
  }

  @Test
  void retryAfterLongerThanWeWaitGivesUpAtOnce() throws Exception {
    try (MisbehavingServer server =
        new MisbehavingServer(status(429, "slow down", "Retry-After", "3600"))) {
      Delivery delivery = delivery(server.uri(), FAST_RETRIES);

      assertThat(failureOf(delivery.deliver(PAYLOAD, 1)))
          .hasMessageContaining("HTTP 429: slow down")
          .hasMessageContaining("asked to wait PT1H");
      assertThat(server.received).hasSize(1);
    }
  }

  @Test
  void everyRetryableStatusIsRetried() throws Exception {
    for (int code : new int[] {429, 502, 503, 504}) {
      try (MisbehavingServer server = new MisbehavingServer(status(code, ""), ok())) {
        Delivery delivery = delivery(server.uri(), FAST_RETRIES);
        delivery.deliver(PAYLOAD, 1).get(10, TimeUnit.SECONDS);
        assertThat(server.received).as("HTTP %d", code).hasSize(2);
      }
    }
  }

  @Test
  void badRequestIsNeverRetried() throws Exception {
    for (int code : new int[] {400, 401, 403, 404, 413, 500}) {
      try (MisbehavingServer server =
          new MisbehavingServer(status(code, "bad span in batch"), ok())) {
        Delivery delivery = delivery(server.uri(), FAST_RETRIES);

        assertThat(failureOf(delivery.deliver(PAYLOAD, 6)))
            .hasMessageContaining("HTTP " + code + ": bad span in batch");
        assertThat(server.received).as("HTTP %d", code).hasSize(1);
        assertThat(delivery.stats().failedSpans()).isEqualTo(6);
        assertThat(delivery.stats().retries()).isZero();
      }
    }
  }

  @Test
  void partialSuccessCountsRejectedSpans() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer(status(200, "3|ids must not be zero"))) {
      Transport transport = HttpTransport.builder(server.uri()).build();
      Delivery delivery =
          Delivery.builder("test exporter", transport)
              .responseReader(
                  body -> {
                    String[] parts = new String(body, StandardCharsets.UTF_8).split("\\|");
                    return new PartialSuccess(Long.parseLong(parts[0]), parts[1]);
                  })
              .build();

      delivery.deliver(PAYLOAD, 10).get(10, TimeUnit.SECONDS);

      assertThat(delivery.stats().rejectedSpans()).isEqualTo(3);
      assertThat(delivery.stats().exportedSpans()).isEqualTo(7);
    }
  }

  @Test
  void unreadableResponseToAnAcceptedBatchStillCountsAsExported() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer(status(200, "garbage"))) {
      Delivery delivery =
          Delivery.builder("test exporter", HttpTransport.builder(server.uri()).build())
              .responseReader(
                  body -> {
                    throw new IllegalArgumentException("not a response");
                  })
              .build();

      delivery.deliver(PAYLOAD, 2).get(10, TimeUnit.SECONDS);

      assertThat(delivery.stats().exportedSpans()).isEqualTo(2);
    }
  }

  @Test
  void connectionResetMidRequestIsRetried() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread resetter =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                    socket.getInputStream().read(new byte[16]); // part of the request
                    socket.setSoLinger(true, 0); // close with RST, not FIN
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      resetter.setDaemon(true);
      resetter.start();
      URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v1/traces");
      Delivery delivery = delivery(uri, FAST_RETRIES);

      Throwable failure = failureOf(delivery.deliver(PAYLOAD, 8));

      assertThat(failure).hasMessageContaining("gave up after 3 attempts");
      assertThat(connections.get()).isGreaterThanOrEqualTo(3);
      assertThat(delivery.stats().failedSpans()).isEqualTo(8);
      assertThat(delivery.stats().retries()).isEqualTo(2);
    }
  }

  @Test
  void hugeResponseIsReadOnlyUpToTheLimit() throws Exception {
    byte[] seen = new byte[1];
    try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread flooder =
          new Thread(
              () -> {
                try (Socket socket = listener.accept()) {
                  InputStream in = socket.getInputStream();
                  in.read(new byte[8192]);
                  OutputStream out = socket.getOutputStream();
                  long length = 50L * 1024 * 1024;
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  byte[] chunk = new byte[64 * 1024];
                  for (long sent = 0; sent < length; sent += chunk.length) {
                    out.write(chunk);
                  }
                  out.flush();
                } catch (IOException e) {
                  // the client may hang up once it has had enough
                }
              });
      flooder.setDaemon(true);
      flooder.start();
      URI uri = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/v1/traces");
      Delivery delivery =
          Delivery.builder("test exporter", HttpTransport.builder(uri).build())
              .responseReader(
                  body -> {
                    seen[0] = (byte) (body.length == HttpTransport.MAX_RESPONSE_BYTES ? 1 : 0);
                    return PartialSuccess.NONE;
                  })
              .build();

      delivery.deliver(PAYLOAD, 1).get(30, TimeUnit.SECONDS);

      assertThat(seen[0]).as("the body was cut at the limit").isEqualTo((byte) 1);
    }
  }

  @Test
  void deliverNeverWaitsForTheBackend() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer()) {
      server.answer(server.hang());
      Delivery delivery = delivery(server.uri(), FAST_RETRIES);

      CompletableFuture<Void> result = delivery.deliver(PAYLOAD, 1);

      // deliver returned while the server is still holding the request.
      assertThat(result).isNotDone();
      server.release.countDown();
      result.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void batchesBeyondMaxInFlightFailAtOnceSoMemoryStaysBounded() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer()) {
      server.answer(server.hang());
      Delivery delivery =
          Delivery.builder("test exporter", HttpTransport.builder(server.uri()).build())
              .maxInFlight(2)
              .build();
      List<CompletableFuture<Void>> held = new ArrayList<>();
      held.add(delivery.deliver(PAYLOAD, 1));
      held.add(delivery.deliver(PAYLOAD, 1));

      CompletableFuture<Void> third = delivery.deliver(PAYLOAD, 5);

      assertThat(third).isCompletedExceptionally();
      assertThat(failureOf(third)).hasMessageContaining("2 batches are already waiting");
      assertThat(delivery.stats().failedSpans()).isEqualTo(5);
      server.release.countDown();
      for (CompletableFuture<Void> future : held) {
        future.get(10, TimeUnit.SECONDS);
      }
      // Room again once the backend answered.
      delivery.deliver(PAYLOAD, 1).get(10, TimeUnit.SECONDS);
      assertThat(delivery.stats().exportedSpans()).isEqualTo(3);
    }
  }

  @Test
  void shutdownStopsRetrying() throws Exception {
    try (MisbehavingServer server = new MisbehavingServer(status(503, "down"))) {
      RetryPolicy slowRetries =
          new RetryPolicy(5, Duration.ofMillis(500), Duration.ofMillis(500), 1, Duration.ZERO);
      Delivery delivery = delivery(server.uri(), slowRetries);
      CompletableFuture<Void> result = delivery.deliver(PAYLOAD, 2);
      while (server.received.isEmpty()) {
        Thread.onSpinWait();
      }

      delivery.shutdown().get(1, TimeUnit.SECONDS);

      assertThat(failureOf(result)).hasMessageContaining("shut down");
      assertThat(server.received).hasSize(1);
      assertThat(failureOf(delivery.deliver(PAYLOAD, 1))).hasMessageContaining("shut down");
    }
  }

  @Test
  void badConfigurationIsRefusedWithAReason() {
    assertThatThrownBy(() -> HttpTransport.builder(URI.create("ftp://host/x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(
            () -> HttpTransport.builder(URI.create("http://host/x")).compression("brotli"))
        .hasMessageContaining("gzip or none");
    assertThatThrownBy(
            () -> HttpTransport.builder(URI.create("http://host/x")).timeout(Duration.ZERO))
        .hasMessageContaining("positive");
  }
}
