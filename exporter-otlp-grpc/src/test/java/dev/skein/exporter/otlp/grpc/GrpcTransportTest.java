package dev.skein.exporter.otlp.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.skein.exporter.Attempt;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GrpcTransportTest {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TENANT =
      Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> GRPC_ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> USER_AGENT =
      Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER);

  private TestCollector collector;
  private final List<GrpcTransport> transports = new ArrayList<>();

  @BeforeEach
  void startCollector() throws Exception {
    collector = TestCollector.start();
  }

  @AfterEach
  void stop() throws Exception {
    transports.forEach(GrpcTransport::close);
    collector.close();
  }

  static ExportTraceServiceRequest sampleRequest() {
    Span span =
        Span.newBuilder()
            .setTraceId(ByteString.fromHex("5b8efff798038103d269b633813fc60c"))
            .setSpanId(ByteString.fromHex("eee19b7ec3c1b174"))
            .setParentSpanId(ByteString.fromHex("eee19b7ec3c1b173"))
            .setName("GET /checkout")
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_250_000_000L)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.request.method")
                    .setValue(AnyValue.newBuilder().setStringValue("GET")))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.response.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(200)))
            .addEvents(
                Span.Event.newBuilder().setName("ödüm").setTimeUnixNano(1_700_000_000_100_000_000L))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("shop").setVersion("1"))
                        .addSpans(span)
                        .addSpans(span.toBuilder().setName("second"))))
        .build();
  }

  private GrpcTransport transport(Consumer<GrpcTransport.Builder> settings) {
    GrpcTransport.Builder builder = GrpcTransport.builder(collector.endpoint());
    settings.accept(builder);
    GrpcTransport transport = builder.build();
    transports.add(transport);
    return transport;
  }

  private GrpcTransport transport() {
    return transport(builder -> {});
  }

  private static Attempt await(CompletableFuture<Attempt> sent) throws Exception {
    return sent.get(60, TimeUnit.SECONDS);
  }

  private void answer(Status status) {
    collector.behaviour = (request, response) -> response.onError(status.asRuntimeException());
  }

  private void answer(com.google.rpc.Status status) {
    collector.behaviour =
        (request, response) -> response.onError(StatusProto.toStatusRuntimeException(status));
  }

  private static Any retryInfo(long seconds, int nanos) {
    return Any.pack(
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos))
            .build());
  }

  @Test
  void officialRequestArrivesIntact() throws Exception {
    ExportTraceServiceRequest request = sampleRequest();

    Attempt attempt = await(transport().send(request.toByteArray()));

    assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
    ExportTraceServiceRequest received = collector.nextRequest();
    assertThat(received).isEqualTo(request);
    assertThat(received.toByteArray()).isEqualTo(request.toByteArray());
  }

  @Test
  void emptyRequestIsSentToo() throws Exception {
    Attempt attempt = await(transport().send(new byte[0]));

    assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
    assertThat(collector.nextRequest()).isEqualTo(ExportTraceServiceRequest.getDefaultInstance());
  }

  @Test
  void headersArriveAsMetadata() throws Exception {
    GrpcTransport transport =
        transport(
            builder ->
                builder.headers(Map.of("Authorization", "Bearer abc.def", "x-tenant", "shop")));

    await(transport.send(sampleRequest().toByteArray()));

    Metadata headers = collector.nextHeaders();
    assertThat(headers.get(AUTHORIZATION)).isEqualTo("Bearer abc.def");
    assertThat(headers.get(TENANT)).isEqualTo("shop");
    assertThat(headers.get(USER_AGENT)).startsWith("skein-exporter-otlp-grpc ");
  }

  @Test
  void headersAreSentWithEveryCall() throws Exception {
    GrpcTransport transport = transport(builder -> builder.headers(Map.of("x-tenant", "shop")));

    await(transport.send(new byte[0]));
    await(transport.send(new byte[0]));

    assertThat(collector.nextHeaders().getAll(TENANT)).containsExactly("shop");
    assertThat(collector.nextHeaders().getAll(TENANT)).containsExactly("shop");
  }

  @Test
  void gzipCompressesTheRequest() throws Exception {
    ExportTraceServiceRequest request = sampleRequest();
    GrpcTransport transport = transport(builder -> builder.compression("gzip"));

    Attempt attempt = await(transport.send(request.toByteArray()));

    assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
    assertThat(collector.nextHeaders().get(GRPC_ENCODING)).isEqualTo("gzip");
    assertThat(collector.nextRequest()).isEqualTo(request);
  }

  @Test
  void noCompressionByDefault() throws Exception {
    await(transport().send(sampleRequest().toByteArray()));

    String encoding = collector.nextHeaders().get(GRPC_ENCODING);
    assertThat(encoding == null || encoding.equals("identity")).as(encoding).isTrue();
  }

  @Test
  void partialSuccessResponseComesBackInAccepted() throws Exception {
    ExportTraceServiceResponse partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(1)
                    .setErrorMessage("span name too long"))
            .build();
    collector.behaviour =
        (request, response) -> {
          response.onNext(partial);
          response.onCompleted();
        };

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt).isInstanceOf(Attempt.Accepted.class);
    byte[] body = ((Attempt.Accepted) attempt).body();
    assertThat(ExportTraceServiceResponse.parseFrom(body)).isEqualTo(partial);
  }

  @Test
  void fullSuccessHasAnEmptyBody() throws Exception {
    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(((Attempt.Accepted) attempt).body()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "CANCELLED",
        "DEADLINE_EXCEEDED",
        "ABORTED",
        "OUT_OF_RANGE",
        "UNAVAILABLE",
        "DATA_LOSS"
      })
  void retryableStatuses(Status.Code code) throws Exception {
    answer(code.toStatus().withDescription("try later"));

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt).isEqualTo(new Attempt.Retryable("gRPC " + code + ": try later", null));
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "UNKNOWN",
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "ALREADY_EXISTS",
        "PERMISSION_DENIED",
        "FAILED_PRECONDITION",
        "UNIMPLEMENTED",
        "INTERNAL",
        "UNAUTHENTICATED"
      })
  void failingStatuses(Status.Code code) throws Exception {
    answer(code.toStatus().withDescription("no way"));

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt).isEqualTo(new Attempt.Failed("gRPC " + code + ": no way"));
  }

  @Test
  void resourceExhaustedWithoutRetryInfoFails() throws Exception {
    answer(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage("quota used up")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("QUOTA").build()))
            .build());

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt).isEqualTo(new Attempt.Failed("gRPC RESOURCE_EXHAUSTED: quota used up"));
  }

  @Test
  void resourceExhaustedWithRetryInfoIsRetryableAfterTheDelay() throws Exception {
    answer(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage("slow down")
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("RATE").build()))
            .addDetails(retryInfo(3, 500_000_000))
            .build());

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt)
        .isEqualTo(
            new Attempt.Retryable("gRPC RESOURCE_EXHAUSTED: slow down", Duration.ofMillis(3500)));
  }

  @Test
  void resourceExhaustedWithRetryInfoButNoDelayIsRetryable() throws Exception {
    answer(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
            .setMessage("slow down")
            .addDetails(Any.pack(RetryInfo.getDefaultInstance()))
            .build());

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt)
        .isEqualTo(new Attempt.Retryable("gRPC RESOURCE_EXHAUSTED: slow down", null));
  }

  @Test
  void unavailableCarriesTheRetryDelay() throws Exception {
    answer(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.UNAVAILABLE_VALUE)
            .setMessage("restarting")
            .addDetails(retryInfo(0, 250_000_000))
            .build());

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt)
        .isEqualTo(new Attempt.Retryable("gRPC UNAVAILABLE: restarting", Duration.ofMillis(250)));
  }

  @Test
  void invalidArgumentWithRetryInfoStillFails() throws Exception {
    answer(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage("bad span")
            .addDetails(retryInfo(1, 0))
            .build());

    Attempt attempt = await(transport().send(sampleRequest().toByteArray()));

    assertThat(attempt).isEqualTo(new Attempt.Failed("gRPC INVALID_ARGUMENT: bad span"));
  }

  @Test
  void serverWithoutTraceServiceIsUnimplemented() throws Exception {
    try (TestCollector other = TestCollector.startWithoutTraceService()) {
      GrpcTransport transport = GrpcTransport.builder(other.endpoint()).build();
      transports.add(transport);

      Attempt attempt = await(transport.send(sampleRequest().toByteArray()));

      assertThat(attempt).isInstanceOf(Attempt.Failed.class);
      assertThat(((Attempt.Failed) attempt).reason())
          .startsWith("gRPC UNIMPLEMENTED: ")
          .contains(GrpcTransport.EXPORT_METHOD);
    }
  }

  @Test
  void serverThatNeverAnswersHitsTheDeadline() throws Exception {
    collector.behaviour = (request, response) -> {};
    GrpcTransport transport = transport(builder -> builder.timeout(Duration.ofMillis(300)));

    Attempt attempt = await(transport.send(sampleRequest().toByteArray()));

    assertThat(attempt).isInstanceOf(Attempt.Retryable.class);
    assertThat(((Attempt.Retryable) attempt).reason()).startsWith("gRPC DEADLINE_EXCEEDED");
    assertThat(((Attempt.Retryable) attempt).retryAfter()).isNull();
  }

  @Test
  void closedPortIsRetryable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    GrpcTransport transport = GrpcTransport.builder(URI.create("http://127.0.0.1:" + port)).build();
    transports.add(transport);

    Attempt attempt = await(transport.send(sampleRequest().toByteArray()));

    assertThat(attempt).isInstanceOf(Attempt.Retryable.class);
    assertThat(((Attempt.Retryable) attempt).reason()).startsWith("gRPC UNAVAILABLE");
  }

  @Test
  void collectorThatGoesAwayIsRetryable() throws Exception {
    GrpcTransport transport = transport();
    assertThat(await(transport.send(new byte[0]))).isInstanceOf(Attempt.Accepted.class);
    collector.close();

    assertThat(await(transport.send(new byte[0]))).isInstanceOf(Attempt.Retryable.class);
  }

  @Test
  void manyConcurrentSendsShareTheChannel() throws Exception {
    GrpcTransport transport = transport();
    List<CompletableFuture<Attempt>> sent = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      sent.add(transport.send(sampleRequest().toByteArray()));
    }

    for (CompletableFuture<Attempt> each : sent) {
      assertThat(await(each)).isInstanceOf(Attempt.Accepted.class);
    }
    assertThat(collector.requests).hasSize(64);
  }

  @Test
  void sendAfterCloseFails() throws Exception {
    GrpcTransport transport = transport();
    transport.close();

    Attempt attempt = await(transport.send(new byte[0]));

    assertThat(attempt).isInstanceOf(Attempt.Failed.class);
    assertThat(((Attempt.Failed) attempt).reason()).contains("closed");
    assertThat(collector.requests).isEmpty();
  }

  @Test
  void closeIsIdempotent() {
    GrpcTransport transport = transport();
    transport.close();
    transport.close();
  }

  @Test
  void nullPayloadIsAProgrammingError() {
    GrpcTransport transport = transport();
    assertThatThrownBy(() -> transport.send(null)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://127.0.0.1:4317",
        "127.0.0.1:4317",
        "http:///nohost",
        "http://127.0.0.1:4317/v1/traces",
        "http://127.0.0.1:4317?x=1",
        "http://127.0.0.1:4317#x"
      })
  void unusableEndpointsAreRejected(String endpoint) {
    assertThatThrownBy(() -> GrpcTransport.builder(URI.create(endpoint)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(endpoint);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:4317", "http://127.0.0.1:4317/", "http://collector"})
  void usableEndpointsAreAccepted(String endpoint) {
    GrpcTransport.builder(URI.create(endpoint)).build().close();
  }

  @Test
  void badSettingsAreRejected() throws Exception {
    GrpcTransport.Builder builder = GrpcTransport.builder(collector.endpoint());

    assertThatThrownBy(() -> builder.compression("zstd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zstd");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                GrpcTransport.builder(collector.endpoint())
                    .sslContext(javax.net.ssl.SSLContext.getDefault())
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad name", "trace-bin", "ümlaut", ""})
  void badHeaderNamesAreRejected(String name) {
    GrpcTransport.Builder builder =
        GrpcTransport.builder(collector.endpoint()).headers(Map.of(name, "v"));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header");
  }

  @ParameterizedTest
  @ValueSource(strings = {"line\nbreak", "tab\there", "naïve"})
  void badHeaderValuesAreRejected(String value) {
    GrpcTransport.Builder builder =
        GrpcTransport.builder(collector.endpoint()).headers(Map.of("x-tenant", value));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x-tenant");
  }

  @Test
  void compressionNamesIgnoreCase() throws Exception {
    GrpcTransport transport = transport(builder -> builder.compression("GZIP"));

    await(transport.send(new byte[0]));

    assertThat(collector.nextHeaders().get(GRPC_ENCODING)).isEqualTo("gzip");
  }

  @Test
  void laterCompressionSettingWins() throws Exception {
    GrpcTransport transport = transport(builder -> builder.compression("gzip").compression("none"));

    await(transport.send(new byte[0]));

    String encoding = collector.nextHeaders().get(GRPC_ENCODING);
    assertThat(encoding == null || encoding.equals("identity")).as(encoding).isTrue();
  }

  @Test
  void okWithoutAResponseMessageIsAcceptedWithAnEmptyBody() {
    // A unit check of the mapping for what the network tests cannot provoke: OK without a message.
    assertThat(GrpcTransport.outcome(Status.OK, new Metadata(), null))
        .isInstanceOfSatisfying(
            Attempt.Accepted.class, accepted -> assertThat(accepted.body()).isEmpty());
  }

  @Test
  void garbageStatusDetailsReadAsNoRetryInfo() {
    Metadata trailers = new Metadata();
    trailers.put(
        Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER),
        new byte[] {(byte) 0xff, (byte) 0xff, 0x01});

    assertThat(
            GrpcTransport.outcome(
                Status.RESOURCE_EXHAUSTED.withDescription("full"), trailers, null))
        .isEqualTo(new Attempt.Failed("gRPC RESOURCE_EXHAUSTED: full"));
  }
}
