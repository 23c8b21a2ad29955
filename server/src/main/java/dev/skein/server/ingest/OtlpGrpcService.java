package dev.skein.server.ingest;

import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;

/**
 * OTLP/gRPC {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, without generated
 * stubs: the method's marshaller hands over the request's bytes (bounded, since gRPC inflates gzip
 * messages before they reach it) and {@link OtlpProtobufDecoder} reads them.
 */
final class OtlpGrpcService {
  static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
  static final String METHOD = SERVICE + "/Export";

  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private OtlpGrpcService() {}

  static GrpcService create(Ingest ingest, ReceiverMetrics metrics) {
    ReceiverSettings settings = ingest.settings();
    BoundedBytes marshaller = new BoundedBytes(settings.maxDecompressedBytes());
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(METHOD)
            .setRequestMarshaller(marshaller)
            .setResponseMarshaller(marshaller)
            .build();
    ServerServiceDefinition definition =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(export, new ExportHandler(ingest, metrics))
            .build();
    return GrpcService.builder()
        .addService(definition)
        .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
        // Armeria holds a message to this both as sent and while inflating it.
        .maxRequestMessageLength((int) settings.maxRequestBytes())
        .useMethodMarshaller(true)
        .exceptionHandler(
            (ctx, status, cause, trailers) -> {
              // Messages over a limit are refused before they reach the handler: count them here.
              if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                metrics.requestsTooLarge.increment();
              }
              return status;
            })
        .build();
  }

  /** Request and response bytes as they are; requests no larger than the decompressed limit. */
  private static final class BoundedBytes implements MethodDescriptor.Marshaller<byte[]> {
    private final long limit;

    BoundedBytes(long limit) {
      this.limit = limit;
    }

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        int available = stream.available();
        return Bodies.readAtMost(stream, limit, available > 0 ? available : 8192, "message");
      } catch (Bodies.TooLargeException e) {
        throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
      } catch (IOException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("message could not be read: " + e.getMessage())
            .asRuntimeException();
      }
    }
  }

  private static final class ExportHandler implements ServerCallHandler<byte[], byte[]> {
    private final Ingest ingest;
    private final ReceiverMetrics metrics;

    ExportHandler(Ingest ingest, ReceiverMetrics metrics) {
      this.ingest = ingest;
      this.metrics = metrics;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(
        ServerCall<byte[], byte[]> call, Metadata headers) {
      metrics.requests.increment();
      ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
      Executor answerOn = ctx != null ? ctx.eventLoop() : Runnable::run;
      call.request(1);
      return new ServerCall.Listener<>() {
        private byte[] request;

        @Override
        public void onMessage(byte[] message) {
          request = message;
        }

        @Override
        public void onHalfClose() {
          if (request == null) {
            close(call, Status.INVALID_ARGUMENT.withDescription("no request message"), null);
            return;
          }
          byte[] body = request;
          request = null;
          ingest
              .ingest(body, 0, body.length, OtlpProtobufDecoder::decode, metrics, answerOn)
              .thenAccept(outcome -> answer(call, outcome));
        }
      };
    }

    private void answer(ServerCall<byte[], byte[]> call, Ingest.Outcome outcome) {
      if (outcome instanceof Ingest.Accepted accepted) {
        try {
          call.sendHeaders(new Metadata());
          call.sendMessage(OtlpMessages.exportResponse(accepted.decoded()));
          call.close(Status.OK, new Metadata());
        } catch (IllegalStateException cancelled) {
          // The client went away; the spans are stored all the same.
        }
      } else if (outcome instanceof Ingest.Malformed malformed) {
        close(call, Status.INVALID_ARGUMENT.withDescription(malformed.message()), null);
      } else if (outcome instanceof Ingest.TooLarge tooLarge) {
        // Without RetryInfo, RESOURCE_EXHAUSTED tells an OTLP client not to retry.
        close(call, Status.RESOURCE_EXHAUSTED.withDescription(tooLarge.message()), null);
      } else if (outcome instanceof Ingest.Overloaded overloaded) {
        byte[] details =
            OtlpMessages.status(
                OtlpMessages.RESOURCE_EXHAUSTED,
                overloaded.message(),
                ingest.settings().retryAfter());
        close(call, Status.RESOURCE_EXHAUSTED.withDescription(overloaded.message()), details);
      } else {
        Ingest.Unavailable unavailable = (Ingest.Unavailable) outcome;
        close(call, Status.UNAVAILABLE.withDescription(unavailable.message()), null);
      }
    }

    private static void close(ServerCall<byte[], byte[]> call, Status status, byte[] details) {
      Metadata trailers = new Metadata();
      if (details != null) {
        trailers.put(STATUS_DETAILS, details);
      }
      try {
        call.close(status, trailers);
      } catch (IllegalStateException cancelled) {
        // Already closed by a cancellation.
      }
    }
  }
}
