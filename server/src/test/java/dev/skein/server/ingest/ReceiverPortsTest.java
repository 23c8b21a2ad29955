package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.skein.storage.Span;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Armeria server, receivers on separate ports by {@link Receivers#bind}: each answers on its
 * own port and nowhere else.
 */
class ReceiverPortsTest {

  @Test
  void eachReceiverAnswersOnItsOwnPort() throws IOException {
    List<Span> received = new CopyOnWriteArrayList<>();
    SpanSink sink =
        spans -> {
          received.addAll(spans);
          return CompletableFuture.completedFuture(null);
        };
    Receivers receivers = new Receivers(sink, ReceiverSettings.defaults());
    // Port-based virtual hosts need the port numbers up front: take free ones from the OS.
    int grpcPort = freePort();
    int otlpHttpPort = freePort();
    ServerBuilder builder = Server.builder();
    for (int port : new int[] {grpcPort, otlpHttpPort}) {
      builder.port(new InetSocketAddress("127.0.0.1", port), SessionProtocol.HTTP);
    }
    // Zipkin shares the OTLP/HTTP port here, to show a port can carry two receivers.
    receivers.bind(builder, grpcPort, otlpHttpPort, otlpHttpPort);
    Server server = builder.build();
    server.start().join();
    try {
      byte[] otlp = OtlpDecoderTest.request(OtlpDecoderTest.span(1, 1)).toByteArray();
      byte[] zipkin =
          "[{\"traceId\":\"000000000000000a\",\"id\":\"000000000000000b\"}]"
              .getBytes(StandardCharsets.UTF_8);

      assertThat(post(otlpHttpPort, Receivers.OTLP_HTTP_PATH, MediaType.X_PROTOBUF, otlp))
          .isEqualTo(HttpStatus.OK);
      assertThat(post(otlpHttpPort, Receivers.ZIPKIN_PATH, MediaType.JSON, zipkin))
          .isEqualTo(HttpStatus.ACCEPTED);
      assertThat(post(grpcPort, Receivers.OTLP_HTTP_PATH, MediaType.X_PROTOBUF, otlp))
          .isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(post(grpcPort, Receivers.ZIPKIN_PATH, MediaType.JSON, zipkin))
          .isEqualTo(HttpStatus.NOT_FOUND);

      OtlpGrpcSpanExporter exporter =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + grpcPort)
              .setRetryPolicy(null)
              .build();
      SdkTracerProvider provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(exporter))
              .build();
      provider.get("test").spanBuilder("over grpc").startSpan().end();
      CompletableResultCode flushed = provider.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).isTrue();
      provider.shutdown().join(10, TimeUnit.SECONDS);

      OtlpGrpcSpanExporter wrongPort =
          OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + otlpHttpPort)
              .setRetryPolicy(null)
              .build();
      provider =
          SdkTracerProvider.builder()
              .addSpanProcessor(SimpleSpanProcessor.create(wrongPort))
              .build();
      provider.get("test").spanBuilder("to the wrong port").startSpan().end();
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
      provider.shutdown().join(10, TimeUnit.SECONDS);

      assertThat(received).extracting(Span::name).containsExactly("op", "", "over grpc");
      assertThat(receivers.otlpGrpcMetrics().spansAccepted()).isEqualTo(1);
      assertThat(receivers.otlpHttpMetrics().spansAccepted()).isEqualTo(1);
      assertThat(receivers.zipkinMetrics().spansAccepted()).isEqualTo(1);
    } finally {
      server.stop().join();
    }
  }

  private static HttpStatus post(int port, String path, MediaType type, byte[] body) {
    return WebClient.of("http://127.0.0.1:" + port)
        .blocking()
        .execute(
            RequestHeaders.builder(HttpMethod.POST, path).contentType(type).build(),
            HttpData.wrap(body))
        .status();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
