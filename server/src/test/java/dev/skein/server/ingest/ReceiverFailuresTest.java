package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpRequestWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.skein.server.log.FileIngestLog;
import dev.skein.storage.Span;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a request can go wrong, against a real server and a real ingest log: the status,
 * headers and message each receiver answers with, the counters, and that the server goes on
 * serving.
 */
class ReceiverFailuresTest {
  private static final String OTLP_PATH = Receivers.OTLP_HTTP_PATH;
  private static final String ZIPKIN_PATH = Receivers.ZIPKIN_PATH;
  private static final String ZIPKIN_SPAN =
      "[{\"traceId\":\"000000000000000a\",\"id\":\"000000000000000b\",\"name\":\"get\","
          + "\"timestamp\":1700000000000000,\"duration\":5,"
          + "\"localEndpoint\":{\"serviceName\":\"frontend\"}}]";

  @TempDir Path dir;
  private LogSink sink;
  private TestServer server;

  private void start(ReceiverSettings settings) throws IOException {
    start(settings, FileIngestLog.Options.defaults());
  }

  private void start(ReceiverSettings settings, FileIngestLog.Options options) throws IOException {
    sink = new LogSink(dir, options);
    server = new TestServer(sink, settings);
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (sink != null) {
      sink.close();
    }
  }

  @Test
  void malformedBodies_get400WithAMessage_andTheServerKeepsServing() throws Exception {
    start(ReceiverSettings.defaults());
    byte[] valid = OtlpDecoderTest.request(OtlpDecoderTest.span(1, 1)).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 2);

    AggregatedHttpResponse protobuf = post(OTLP_PATH, MediaType.X_PROTOBUF, null, truncated);
    assertThat(protobuf.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(protobuf.contentType().is(MediaType.X_PROTOBUF)).isTrue();
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(protobuf.content().array());
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(status.getMessage()).startsWith("malformed OTLP protobuf in resourceSpans[0]");

    AggregatedHttpResponse json =
        post(OTLP_PATH, MediaType.JSON, null, bytes("{\"resourceSpans\":"));
    assertThat(json.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(json.contentType().is(MediaType.JSON)).isTrue();
    assertThat(json.contentUtf8()).startsWith("{\"code\":3,\"message\":\"malformed OTLP JSON");

    AggregatedHttpResponse zipkin = post(ZIPKIN_PATH, MediaType.JSON, null, bytes("[{\"id\":5}]"));
    assertThat(zipkin.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(zipkin.contentUtf8())
        .isEqualTo(
            "malformed Zipkin JSON in spans[0] at byte 7: id must be a hex string, not a number");

    AggregatedHttpResponse gzip =
        post(ZIPKIN_PATH, MediaType.JSON, "gzip", bytes("not gzip at all"));
    assertThat(gzip.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(gzip.contentUtf8()).startsWith("body is not valid gzip");

    GrpcAnswer grpc = callExport(truncated, false);
    assertThat(grpc.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(grpc.message()).startsWith("malformed OTLP protobuf in resourceSpans[0]");

    // Still serving, on every receiver.
    assertThat(post(OTLP_PATH, MediaType.X_PROTOBUF, null, valid).status())
        .isEqualTo(HttpStatus.OK);
    assertThat(post(ZIPKIN_PATH, MediaType.JSON, null, bytes(ZIPKIN_SPAN)).status())
        .isEqualTo(HttpStatus.ACCEPTED);
    GrpcAnswer ok = callExport(valid, false);
    assertThat(ok.code()).isEqualTo(Status.Code.OK);
    assertThat(ok.response()).isEmpty(); // an ExportTraceServiceResponse with nothing rejected
    assertThat(sink.spansOnDisk()).hasSize(3);
    assertThat(server.receivers.otlpHttpMetrics().requestsMalformed()).isEqualTo(2);
    assertThat(server.receivers.zipkinMetrics().requestsMalformed()).isEqualTo(2);
    assertThat(server.receivers.otlpGrpcMetrics().requestsMalformed()).isEqualTo(1);
    assertThat(server.receivers.otlpHttpMetrics().spansAccepted()).isEqualTo(1);
  }

  @Test
  void fullLog_gets429WithRetryAfter_andGrpcResourceExhaustedWithRetryInfo() throws Exception {
    start(
        ReceiverSettings.defaults(),
        FileIngestLog.Options.defaults().withMaxPendingBytes(8192).withMaxBacklogBytes(8192));
    // Fill the backlog but for a byte; nothing commits it.
    sink.log().append(new byte[8192 - 8 - 1]).join();
    byte[] request = OtlpDecoderTest.request(OtlpDecoderTest.span(1, 1)).toByteArray();

    AggregatedHttpResponse protobuf = post(OTLP_PATH, MediaType.X_PROTOBUF, null, request);
    assertThat(protobuf.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(protobuf.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(protobuf.content().array());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(status.getMessage()).isEqualTo("the server is overloaded, retry in 5 s");

    AggregatedHttpResponse json =
        post(OTLP_PATH, MediaType.JSON, null, OtlpJsonText.of(decodeOtlp(request), true, false));
    assertThat(json.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(json.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");

    AggregatedHttpResponse zipkin = post(ZIPKIN_PATH, MediaType.JSON, null, bytes(ZIPKIN_SPAN));
    assertThat(zipkin.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(zipkin.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");

    assertThatThrownBy(() -> stub().export(decodeOtlp(request)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              com.google.rpc.Status details = StatusProto.fromThrowable(e);
              assertThat(details).isNotNull();
              try {
                RetryInfo retry = details.getDetails(0).unpack(RetryInfo.class);
                assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(5);
              } catch (com.google.protobuf.InvalidProtocolBufferException notRetryInfo) {
                throw new AssertionError(notRetryInfo);
              }
            });

    assertThat(sink.spans()).isEmpty();
    assertThat(server.receivers.otlpHttpMetrics().spansRefused()).isEqualTo(2);
    assertThat(server.receivers.zipkinMetrics().spansRefused()).isEqualTo(1);
    assertThat(server.receivers.otlpGrpcMetrics().spansRefused()).isEqualTo(1);
    assertThat(server.receivers.otlpHttpMetrics().spansAccepted()).isZero();

    // Once the pipeline commits, the same request is taken.
    sink.log().commit(0);
    assertThat(post(OTLP_PATH, MediaType.X_PROTOBUF, null, request).status())
        .isEqualTo(HttpStatus.OK);
  }

  @Test
  void failingLog_gets503WithRetryAfter_andGrpcUnavailable() throws Exception {
    start(ReceiverSettings.defaults().withRetryAfter(java.time.Duration.ofMillis(1500)));
    sink.log().close(); // every append now fails with an IOException
    byte[] request = OtlpDecoderTest.request(OtlpDecoderTest.span(1, 1)).toByteArray();

    AggregatedHttpResponse protobuf = post(OTLP_PATH, MediaType.X_PROTOBUF, null, request);
    assertThat(protobuf.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(protobuf.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(protobuf.content().array());
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());

    AggregatedHttpResponse zipkin = post(ZIPKIN_PATH, null, null, bytes(ZIPKIN_SPAN));
    assertThat(zipkin.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(zipkin.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");

    assertThat(callExport(request, false).code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(server.receivers.otlpHttpMetrics().spansFailed()).isEqualTo(1);
    assertThat(server.receivers.otlpGrpcMetrics().spansFailed()).isEqualTo(1);
    assertThat(server.receivers.zipkinMetrics().spansFailed()).isEqualTo(1);
  }

  @Test
  void oversizedBodies_get413_declaredOrStreamed_andGrpcResourceExhausted() throws Exception {
    start(ReceiverSettings.defaults().withMaxRequestBytes(64 * 1024));
    byte[] big = bigRequest(100 * 1024);

    AggregatedHttpResponse declared = post(OTLP_PATH, MediaType.X_PROTOBUF, null, big);
    assertThat(declared.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(com.google.rpc.Status.parseFrom(declared.content().array()).getMessage())
        .isEqualTo("request body is larger than 65536 bytes");

    // No Content-Length: the limit is found while the body streams in.
    RequestHeaders headers =
        RequestHeaders.builder(HttpMethod.POST, ZIPKIN_PATH).contentType(MediaType.JSON).build();
    HttpRequestWriter chunked = HttpRequest.streaming(headers);
    for (int i = 0; i < 8; i++) {
      chunked.write(HttpData.wrap(new byte[16 * 1024]));
    }
    chunked.close();
    AggregatedHttpResponse streamed = client().execute(chunked).aggregate().join();
    assertThat(streamed.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(streamed.contentUtf8()).isEqualTo("request body is larger than 65536 bytes");

    assertThat(callExport(big, false).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(server.receivers.otlpHttpMetrics().requestsTooLarge()).isEqualTo(1);
    assertThat(server.receivers.zipkinMetrics().requestsTooLarge()).isEqualTo(1);
    assertThat(server.receivers.otlpGrpcMetrics().requestsTooLarge()).isEqualTo(1);
  }

  @Test
  void gzipBomb_gets413_onEveryReceiver_andTheServerKeepsServing() throws Exception {
    start(ReceiverSettings.defaults());
    byte[] bomb = GzipBomb.bytes();
    assertThat(post(OTLP_PATH, MediaType.X_PROTOBUF, "gzip", bomb).status())
        .isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    AggregatedHttpResponse zipkin = post(ZIPKIN_PATH, MediaType.JSON, "gzip", bomb);
    assertThat(zipkin.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(zipkin.contentUtf8()).isEqualTo("decompressed body is larger than 67108864 bytes");

    // The same bomb as a gRPC message flagged as gzip-compressed.
    assertThat(callExport(bomb, true).code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    assertThat(server.receivers.otlpHttpMetrics().requestsTooLarge()).isEqualTo(1);
    assertThat(server.receivers.zipkinMetrics().requestsTooLarge()).isEqualTo(1);
    assertThat(server.receivers.otlpGrpcMetrics().requestsTooLarge()).isEqualTo(1);
    byte[] valid = BodiesTest.gzip(bytes(ZIPKIN_SPAN));
    assertThat(post(ZIPKIN_PATH, MediaType.JSON, "gzip", valid).status())
        .isEqualTo(HttpStatus.ACCEPTED);
  }

  @Test
  void unsupportedTypesEncodingsAndMethods_get415And405() throws Exception {
    start(ReceiverSettings.defaults());
    AggregatedHttpResponse text = post(OTLP_PATH, MediaType.PLAIN_TEXT_UTF_8, null, bytes("hi"));
    assertThat(text.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(text.contentUtf8())
        .isEqualTo(
            "unsupported Content-Type text/plain; charset=utf-8,"
                + " expected application/x-protobuf or application/json");
    assertThat(post(OTLP_PATH, null, null, bytes("{}")).status())
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(
            post(ZIPKIN_PATH, MediaType.parse("application/x-thrift"), null, bytes("x")).status())
        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    AggregatedHttpResponse brotli = post(OTLP_PATH, MediaType.JSON, "br", bytes("{}"));
    assertThat(brotli.status()).isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(brotli.contentUtf8()).contains("unsupported Content-Encoding br");

    AggregatedHttpResponse get = client().blocking().get(OTLP_PATH);
    assertThat(get.status()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    assertThat(get.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
    assertThat(client().blocking().get(ZIPKIN_PATH).status())
        .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
    assertThat(server.receivers.otlpHttpMetrics().requestsUnsupported()).isEqualTo(4);

    // An empty JSON request is fine: nothing to store.
    AggregatedHttpResponse empty = post(OTLP_PATH, MediaType.JSON, "identity", bytes("{}"));
    assertThat(empty.status()).isEqualTo(HttpStatus.OK);
    assertThat(empty.contentUtf8()).isEqualTo("{}");
  }

  @Test
  void partialSuccess_validSpansStored_theZeroIdCounted_inProtobufJsonAndGrpc() throws Exception {
    start(ReceiverSettings.defaults());
    ExportTraceServiceRequest request =
        OtlpDecoderTest.request(
            OtlpDecoderTest.span(1, 1),
            OtlpDecoderTest.span(1, 2).setSpanId(ByteString.copyFrom(new byte[8])),
            OtlpDecoderTest.span(1, 3));
    String rejection = "resourceSpans[0].scopeSpans[0].spans[1]: span id is all zeros";

    AggregatedHttpResponse protobuf =
        post(OTLP_PATH, MediaType.X_PROTOBUF, null, request.toByteArray());
    assertThat(protobuf.status()).isEqualTo(HttpStatus.OK);
    ExportTracePartialSuccess partial =
        ExportTraceServiceResponse.parseFrom(protobuf.content().array()).getPartialSuccess();
    assertThat(partial.getRejectedSpans()).isEqualTo(1);
    assertThat(partial.getErrorMessage()).isEqualTo(rejection);

    AggregatedHttpResponse json =
        post(OTLP_PATH, MediaType.JSON, null, OtlpJsonText.of(request, true, false));
    assertThat(json.status()).isEqualTo(HttpStatus.OK);
    assertThat(json.contentUtf8())
        .isEqualTo(
            "{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\""
                + rejection
                + "\"}}");

    ExportTraceServiceResponse grpc = stub().export(request);
    assertThat(grpc.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(grpc.getPartialSuccess().getErrorMessage()).isEqualTo(rejection);

    assertThat(sink.spansOnDisk()).extracting(Span::spanId).containsExactly(1L, 3L, 1L, 3L, 1L, 3L);
    assertThat(server.receivers.otlpHttpMetrics().spansRejected()).isEqualTo(2);
    assertThat(server.receivers.otlpHttpMetrics().spansAccepted()).isEqualTo(4);
    assertThat(server.receivers.otlpGrpcMetrics().spansReceived()).isEqualTo(3);
  }

  @Test
  void tooManySpans_get413() throws Exception {
    start(ReceiverSettings.defaults().withMaxSpansPerRequest(2));
    byte[] three =
        OtlpDecoderTest.request(
                OtlpDecoderTest.span(1, 1), OtlpDecoderTest.span(1, 2), OtlpDecoderTest.span(1, 3))
            .toByteArray();
    AggregatedHttpResponse response = post(OTLP_PATH, MediaType.X_PROTOBUF, null, three);
    assertThat(response.status()).isEqualTo(HttpStatus.REQUEST_ENTITY_TOO_LARGE);
    assertThat(com.google.rpc.Status.parseFrom(response.content().array()).getMessage())
        .isEqualTo("request holds more than 2 spans");
    GrpcAnswer grpc = callExport(three, false);
    assertThat(grpc.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(grpc.message()).isEqualTo("request holds more than 2 spans");
    assertThat(sink.spans()).isEmpty();
  }

  @Test
  void zipkinRequestWithOnlyInvalidSpans_gets400_andOneValidSpanIsEnough() throws Exception {
    start(ReceiverSettings.defaults());
    AggregatedHttpResponse invalid =
        post(ZIPKIN_PATH, MediaType.JSON, null, bytes("[{\"traceId\":\"0\",\"id\":\"1\"}]"));
    assertThat(invalid.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(invalid.contentUtf8())
        .isEqualTo("no valid span: spans[0]: trace id must be 16 or 32 hex characters, got \"0\"");
    String mixed =
        "[{\"traceId\":\"0\",\"id\":\"1\"},"
            + ZIPKIN_SPAN.substring(1, ZIPKIN_SPAN.length() - 1)
            + "]";
    assertThat(post(ZIPKIN_PATH, MediaType.JSON, null, bytes(mixed)).status())
        .isEqualTo(HttpStatus.ACCEPTED);
    assertThat(sink.spansOnDisk()).hasSize(1);
    assertThat(server.receivers.zipkinMetrics().spansRejected()).isEqualTo(2);
  }

  private WebClient client() {
    return WebClient.of(server.uri());
  }

  private AggregatedHttpResponse post(String path, MediaType type, String encoding, byte[] body) {
    RequestHeadersBuilder headers = RequestHeaders.builder(HttpMethod.POST, path);
    if (type != null) {
      headers.contentType(type);
    }
    if (encoding != null) {
      headers.add(HttpHeaderNames.CONTENT_ENCODING, encoding);
    }
    return client().blocking().execute(headers.build(), HttpData.wrap(body));
  }

  private TraceServiceGrpc.TraceServiceBlockingStub stub() {
    return GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  /** What a gRPC call ended with. */
  record GrpcAnswer(Status.Code code, String message, byte[] response) {}

  /**
   * Calls Export with these exact bytes as the request message, framed by hand on HTTP/2 (so that
   * malformed and compressed messages can be sent as they are).
   */
  private GrpcAnswer callExport(byte[] message, boolean gzipped) {
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
    frame.put((byte) (gzipped ? 1 : 0)).putInt(message.length).put(message);
    RequestHeadersBuilder headers =
        RequestHeaders.builder(HttpMethod.POST, "/" + Receivers.OTLP_GRPC_METHOD)
            .contentType(MediaType.parse("application/grpc"))
            .add("te", "trailers");
    if (gzipped) {
      headers.add("grpc-encoding", "gzip");
    }
    AggregatedHttpResponse answer =
        WebClient.of("h2c://127.0.0.1:" + server.server.activeLocalPort())
            .execute(headers.build(), HttpData.wrap(frame.array()))
            .aggregate()
            .join();
    // A call that fails at once answers with headers only.
    var trailers = answer.trailers().contains("grpc-status") ? answer.trailers() : answer.headers();
    Status.Code code =
        Status.fromCodeValue(Integer.parseInt(trailers.get("grpc-status"))).getCode();
    String description = trailers.get("grpc-message");
    byte[] body = answer.content().array();
    byte[] response =
        body.length >= 5 ? java.util.Arrays.copyOfRange(body, 5, body.length) : new byte[0];
    return new GrpcAnswer(
        code,
        description == null ? "" : java.net.URLDecoder.decode(description, StandardCharsets.UTF_8),
        response);
  }

  private static ExportTraceServiceRequest decodeOtlp(byte[] request) throws IOException {
    return ExportTraceServiceRequest.parseFrom(request);
  }

  /** A valid request of at least {@code size} bytes. */
  private static byte[] bigRequest(int size) {
    io.opentelemetry.proto.trace.v1.Span.Builder span = OtlpDecoderTest.span(1, 1);
    span.addAttributes(RandomOtlp.keyValue("filler", RandomOtlp.string("x".repeat(size))));
    return OtlpDecoderTest.request(span).toByteArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
