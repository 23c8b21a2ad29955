package dev.skein.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * OTLP over gRPC with grpc-java: the unary {@code TraceService/Export} call, its request a
 * ready-made byte array (no message object is built per send) and its response parsed only for a
 * partial success. One HTTP/2 connection carries every call in flight, as an exporter's does.
 */
final class GrpcTransport implements Transport {

  static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .setRequestMarshaller(new BytesMarshaller())
          .setResponseMarshaller(new BytesMarshaller())
          .build();

  private final ManagedChannel channel;

  GrpcTransport(String host, int port) {
    this.channel =
        NettyChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .directExecutor()
            .maxInboundMessageSize(16 << 20)
            .build();
  }

  @Override
  public CompletableFuture<Ack> send(byte[] body, int spans) {
    CompletableFuture<Ack> ack = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        channel.newCall(EXPORT, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
        body,
        new StreamObserver<>() {
          @Override
          public void onNext(byte[] response) {
            ack.complete(Ack.accepted(spans - rejectedSpans(response)));
          }

          @Override
          public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            String detail = "gRPC " + status.getCode() + describe(status);
            if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED
                || status.getCode() == Status.Code.UNAVAILABLE) {
              ack.complete(Ack.refused(RetryAfter.DEFAULT_NANOS, detail));
            } else {
              ack.complete(Ack.failed(detail));
            }
          }

          @Override
          public void onCompleted() {
            ack.complete(Ack.accepted(spans)); // no effect if onNext already completed it
          }
        });
    return ack;
  }

  private static String describe(Status status) {
    return status.getDescription() == null ? "" : " " + status.getDescription();
  }

  private static int rejectedSpans(byte[] response) {
    if (response.length == 0) {
      return 0;
    }
    try {
      return (int)
          ExportTraceServiceResponse.parseFrom(response).getPartialSuccess().getRejectedSpans();
    } catch (InvalidProtocolBufferException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Passes bytes through; the stream tells its length, so gRPC frames it without a copy. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new KnownLengthStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class KnownLengthStream extends ByteArrayInputStream implements KnownLength {
    KnownLengthStream(byte[] bytes) {
      super(bytes);
    }
  }
}
