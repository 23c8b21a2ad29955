package dev.skein.server.ingest;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import java.util.List;
import java.util.Objects;

/**
 * The span receivers as Armeria services, for the server's wiring: OTLP/gRPC, OTLP/HTTP and Zipkin,
 * all handing spans to one {@link SpanSink}. Each service is created once and may be bound to as
 * many ports as wanted; {@link #bind} does the usual binding.
 *
 * <pre>{@code
 * Receivers receivers = new Receivers(sink, ReceiverSettings.defaults());
 * ServerBuilder sb = Server.builder().http(4317).http(4318).http(9411);
 * receivers.bind(sb, 4317, 4318, 9411);
 * }</pre>
 */
public final class Receivers {
  /** The gRPC method OTLP exporters call. */
  public static final String OTLP_GRPC_METHOD = OtlpGrpcService.METHOD;

  /** Where {@link #otlpHttpService()} is mounted. */
  public static final String OTLP_HTTP_PATH = "/v1/traces";

  /** Where {@link #zipkinService()} is mounted (for POST only: GET there is Zipkin's query API). */
  public static final String ZIPKIN_PATH = "/api/v2/spans";

  private final ReceiverMetrics otlpGrpcMetrics = new ReceiverMetrics("otlp_grpc");
  private final ReceiverMetrics otlpHttpMetrics = new ReceiverMetrics("otlp_http");
  private final ReceiverMetrics zipkinMetrics = new ReceiverMetrics("zipkin");
  private final GrpcService otlpGrpc;
  private final HttpService otlpHttp;
  private final HttpService zipkin;

  public Receivers(SpanSink sink, ReceiverSettings settings) {
    Ingest ingest =
        new Ingest(Objects.requireNonNull(sink, "sink"), Objects.requireNonNull(settings));
    otlpGrpc = OtlpGrpcService.create(ingest, otlpGrpcMetrics);
    otlpHttp = new OtlpHttpService(ingest, otlpHttpMetrics);
    zipkin = new ZipkinHttpService(ingest, zipkinMetrics);
  }

  /** OTLP/gRPC; bind with {@code service(otlpGrpcService())}, it carries its own route. */
  public GrpcService otlpGrpcService() {
    return otlpGrpc;
  }

  /** OTLP/HTTP, to mount at {@link #OTLP_HTTP_PATH}; answers 405 to methods other than POST. */
  public HttpService otlpHttpService() {
    return otlpHttp;
  }

  /** Zipkin's span intake, to mount at {@link #ZIPKIN_PATH} for POST. */
  public HttpService zipkinService() {
    return zipkin;
  }

  public ReceiverMetrics otlpGrpcMetrics() {
    return otlpGrpcMetrics;
  }

  public ReceiverMetrics otlpHttpMetrics() {
    return otlpHttpMetrics;
  }

  public ReceiverMetrics zipkinMetrics() {
    return zipkinMetrics;
  }

  /** The three receivers' counters. */
  public List<ReceiverMetrics> metrics() {
    return List.of(otlpGrpcMetrics, otlpHttpMetrics, zipkinMetrics);
  }

  /**
   * Binds each receiver to its own port through Armeria's port-based virtual hosts, so that it
   * answers only there (usually 4317, 4318 and 9411); the same port given twice carries both
   * receivers. The ports themselves are opened by the caller, on the addresses it chooses: {@code
   * server.http(4317)}, or {@code server.port(new InetSocketAddress(host, 4317),
   * SessionProtocol.HTTP)}; each serves HTTP/1.1 and HTTP/2 (gRPC) alike.
   */
  public void bind(ServerBuilder server, int otlpGrpcPort, int otlpHttpPort, int zipkinPort) {
    server.virtualHost(otlpGrpcPort).service(otlpGrpc);
    server.virtualHost(otlpHttpPort).service(OTLP_HTTP_PATH, otlpHttp);
    server.virtualHost(zipkinPort).route().post(ZIPKIN_PATH).build(zipkin);
  }
}
