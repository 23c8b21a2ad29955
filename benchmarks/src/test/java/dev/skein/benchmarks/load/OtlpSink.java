package dev.skein.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in server for the senders: takes OTLP over gRPC and HTTP and Zipkin JSON on HTTP, parses
 * every request with the official classes or Jackson, and keeps the (trace id, span id) of every
 * span it took. It can refuse its first requests and report rejected spans as a partial success.
 */
final class OtlpSink implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> spanKeys = new ArrayList<>(); // guarded by itself
  private final List<String> problems = new ArrayList<>(); // guarded by itself
  private final AtomicInteger requests = new AtomicInteger();
  private final int refuseFirst;
  private final int rejectPerRequest;
  private final int failingStatus;
  private final HttpServer http;
  private final Server grpc;

  /**
   * @param refuseFirst requests answered 429 / RESOURCE_EXHAUSTED before any is taken
   * @param rejectPerRequest spans reported rejected in each OTLP answer
   * @param failingStatus if not 0, every HTTP request gets this status
   */
  OtlpSink(int refuseFirst, int rejectPerRequest, int failingStatus) throws IOException {
    this.refuseFirst = refuseFirst;
    this.rejectPerRequest = rejectPerRequest;
    this.failingStatus = failingStatus;
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.createContext("/v1/traces", exchange -> handleHttp(exchange, true));
    http.createContext("/api/v2/spans", exchange -> handleHttp(exchange, false));
    http.start();
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
            .addMethod(
                GrpcTransport.EXPORT,
                ServerCalls.asyncUnaryCall(
                    (body, observer) -> {
                      if (requests.incrementAndGet() <= refuseFirst) {
                        observer.onError(Status.RESOURCE_EXHAUSTED.asRuntimeException());
                        return;
                      }
                      takeOtlp(body);
                      observer.onNext(response());
                      observer.onCompleted();
                    }))
            .build();
    grpc =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(service)
            .build()
            .start();
  }

  URI httpBase() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  int grpcPort() {
    return grpc.getPort();
  }

  List<String> spanKeys() {
    synchronized (spanKeys) {
      return List.copyOf(spanKeys);
    }
  }

  List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  private void handleHttp(HttpExchange exchange, boolean otlp) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    if (failingStatus != 0) {
      exchange.sendResponseHeaders(failingStatus, -1);
      exchange.close();
      return;
    }
    if (requests.incrementAndGet() <= refuseFirst) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      exchange.sendResponseHeaders(429, -1);
      exchange.close();
      return;
    }
    if (otlp) {
      takeOtlp(body);
      byte[] answer = response();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    } else {
      takeZipkin(body);
      exchange.sendResponseHeaders(202, -1);
    }
    exchange.close();
  }

  private void takeOtlp(byte[] body) {
    try {
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      List<String> keys = new ArrayList<>();
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            keys.add(
                HexFormat.of().formatHex(span.getTraceId().toByteArray())
                    + "/"
                    + HexFormat.of().formatHex(span.getSpanId().toByteArray()));
          }
        }
      }
      keep(keys.subList(0, keys.size() - rejectPerRequest));
    } catch (InvalidProtocolBufferException e) {
      problem(e.toString());
    }
  }

  private void takeZipkin(byte[] body) {
    try {
      List<String> keys = new ArrayList<>();
      for (JsonNode span : JSON.readTree(body)) {
        keys.add(span.get("traceId").asText() + "/" + span.get("id").asText());
      }
      keep(keys);
    } catch (IOException | RuntimeException e) {
      problem(e.toString());
    }
  }

  private byte[] response() {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (rejectPerRequest > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(rejectPerRequest)
              .setErrorMessage("too many attributes"));
    }
    return response.build().toByteArray();
  }

  private void keep(List<String> keys) {
    synchronized (spanKeys) {
      spanKeys.addAll(keys);
    }
  }

  private void problem(String problem) {
    synchronized (problems) {
      problems.add(problem);
    }
  }

  @Override
  public void close() throws InterruptedException {
    http.stop(0);
    ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
