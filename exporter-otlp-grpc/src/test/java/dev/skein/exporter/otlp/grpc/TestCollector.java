package dev.skein.exporter.otlp.grpc;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A real gRPC collector on 127.0.0.1 (grpc-netty-shaded, the official TraceService stubs): records
 * each request and its headers, and answers the way a test tells it to.
 */
final class TestCollector implements AutoCloseable {

  /** What the collector does with a request; by default it accepts it with an empty response. */
  volatile BiConsumer<ExportTraceServiceRequest, StreamObserver<ExportTraceServiceResponse>>
      behaviour =
          (request, response) -> {
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
          };

  final BlockingQueue<ExportTraceServiceRequest> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<Metadata> headers = new LinkedBlockingQueue<>();
  private final Server server;

  /** A plaintext collector. */
  static TestCollector start() throws IOException {
    return new TestCollector(null, true);
  }

  /** A TLS collector. */
  static TestCollector start(ServerCredentials credentials) throws IOException {
    return new TestCollector(credentials, true);
  }

  /** A gRPC server that has no TraceService. */
  static TestCollector startWithoutTraceService() throws IOException {
    return new TestCollector(null, false);
  }

  private TestCollector(ServerCredentials credentials, boolean withTraceService)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
    NettyServerBuilder builder =
        credentials == null
            ? NettyServerBuilder.forAddress(address)
            : NettyServerBuilder.forAddress(address, credentials);
    if (withTraceService) {
      builder.addService(ServerInterceptors.intercept(new Service(), new HeaderRecorder()));
    }
    server = builder.build().start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port());
  }

  int port() {
    return server.getPort();
  }

  /** The next request the collector received, waiting for it if need be. */
  ExportTraceServiceRequest nextRequest() throws InterruptedException {
    ExportTraceServiceRequest request = requests.poll(30, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("the collector received no request");
    }
    return request;
  }

  Metadata nextHeaders() throws InterruptedException {
    Metadata metadata = headers.poll(30, TimeUnit.SECONDS);
    if (metadata == null) {
      throw new AssertionError("the collector received no call");
    }
    return metadata;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(30, TimeUnit.SECONDS);
  }

  private final class Service extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(
        ExportTraceServiceRequest request,
        StreamObserver<ExportTraceServiceResponse> responseObserver) {
      requests.add(request);
      behaviour.accept(request, responseObserver);
    }
  }

  private final class HeaderRecorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
      headers.add(metadata);
      return next.startCall(call, metadata);
    }
  }
}
