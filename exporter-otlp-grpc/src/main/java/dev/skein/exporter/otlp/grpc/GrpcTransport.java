package dev.skein.exporter.otlp.grpc;

import dev.skein.exporter.Attempt;
import dev.skein.exporter.Transport;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.Drainable;
import io.grpc.InsecureChannelCredentials;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.okhttp.SslSocketFactoryChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * Sends encoded OTLP {@code ExportTraceServiceRequest}s to a collector's gRPC {@code TraceService}
 * over grpc-okhttp. The payload is already protobuf, so the call carries raw bytes and needs no
 * protobuf runtime.
 *
 * <p>Each {@link #send} is one unary call with its own deadline. Its outcome follows the OTLP
 * specification: {@code OK} is {@link Attempt.Accepted} with the encoded response (which may report
 * partial success); {@code CANCELLED}, {@code DEADLINE_EXCEEDED}, {@code ABORTED}, {@code
 * OUT_OF_RANGE}, {@code UNAVAILABLE} and {@code DATA_LOSS} are {@link Attempt.Retryable}, as is
 * {@code RESOURCE_EXHAUSTED} when the server sent a {@code google.rpc.RetryInfo}; the retry delay
 * of a RetryInfo becomes {@link Attempt.Retryable#retryAfter()}. Every other status is {@link
 * Attempt.Failed}.
 *
 * <p>The channel runs on gRPC's shared daemon threads, so an application can exit without closing
 * the transport; {@link #close()} releases the connection.
 */
public final class GrpcTransport implements Transport {

  static final String EXPORT_METHOD = "opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private static final MethodDescriptor<byte[], byte[]> EXPORT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(EXPORT_METHOD)
          .setRequestMarshaller(BytesMarshaller.INSTANCE)
          .setResponseMarshaller(BytesMarshaller.INSTANCE)
          .build();

  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  // The codes the OTLP specification calls retryable; RESOURCE_EXHAUSTED only with RetryInfo.
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.CANCELLED,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.ABORTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.UNAVAILABLE,
          Status.Code.DATA_LOSS);

  private static final String USER_AGENT = "skein-exporter-otlp-grpc";

  private final ManagedChannel channel;
  private final Metadata headers;
  private final CallOptions callOptions;
  private final long timeoutNanos;
  private final String endpoint;
  private volatile boolean closed;

  private GrpcTransport(Builder builder, ManagedChannel channel, Metadata headers) {
    this.channel = channel;
    this.headers = headers;
    CallOptions options = CallOptions.DEFAULT;
    if (builder.gzip) {
      options = options.withCompression("gzip");
    }
    this.callOptions = options;
    this.timeoutNanos = builder.timeout.toNanos();
    this.endpoint = builder.endpoint.toString();
  }

  /**
   * Starts a transport to {@code endpoint}: {@code http://host:port} for plaintext, {@code
   * https://host:port} for TLS. Without a port, 80 and 443 apply; the usual collector port is 4317.
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /**
   * Makes one Export call with {@code payload}, an encoded {@code ExportTraceServiceRequest}. The
   * future always completes normally; only a null payload throws.
   */
  @Override
  public CompletableFuture<Attempt> send(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    if (closed) {
      return CompletableFuture.completedFuture(
          new Attempt.Failed("the gRPC transport to " + endpoint + " is closed"));
    }
    CompletableFuture<Attempt> result = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call = null;
    try {
      call =
          channel.newCall(
              EXPORT, callOptions.withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS));
      Metadata callHeaders = new Metadata();
      callHeaders.merge(headers);
      call.start(new ResponseListener(call, result), callHeaders);
      // Two, so that a second response (a broken server) shows up instead of stalling the call.
      call.request(2);
      call.sendMessage(payload);
      call.halfClose();
    } catch (RuntimeException e) {
      if (call != null) {
        call.cancel("could not send", e);
      }
      result.complete(new Attempt.Retryable("gRPC call failed to start: " + e, null));
    }
    return result;
  }

  /** Shuts the channel down; calls in flight run to their deadline, later sends fail. */
  @Override
  public void close() {
    closed = true;
    channel.shutdown();
  }

  @Override
  public String toString() {
    return "GrpcTransport{" + endpoint + "}";
  }

  /** How a call that ended with {@code status} went, per the OTLP specification. */
  static Attempt outcome(Status status, Metadata trailers, byte[] response) {
    Status.Code code = status.getCode();
    if (code == Status.Code.OK) {
      return new Attempt.Accepted(response != null ? response : new byte[0]);
    }
    StatusDetails.RetryInfo retryInfo =
        trailers != null ? StatusDetails.retryInfo(trailers.get(STATUS_DETAILS)) : null;
    if (RETRYABLE.contains(code) || (code == Status.Code.RESOURCE_EXHAUSTED && retryInfo != null)) {
      return new Attempt.Retryable(
          describe(status), retryInfo != null ? retryInfo.retryDelay() : null);
    }
    return new Attempt.Failed(describe(status));
  }

  private static String describe(Status status) {
    StringBuilder text = new StringBuilder("gRPC ").append(status.getCode());
    if (status.getDescription() != null) {
      text.append(": ").append(status.getDescription());
    }
    if (status.getCause() != null) {
      text.append(" (").append(status.getCause()).append(')');
    }
    return text.toString();
  }

  /** Collects the one response and completes the send's future when the call closes. */
  private static final class ResponseListener extends ClientCall.Listener<byte[]> {
    private final ClientCall<byte[], byte[]> call;
    private final CompletableFuture<Attempt> result;
    private byte[] response;
    private boolean extraResponse;

    ResponseListener(ClientCall<byte[], byte[]> call, CompletableFuture<Attempt> result) {
      this.call = call;
      this.result = result;
    }

    // gRPC calls a listener's methods one at a time, so the fields need no locking.
    @Override
    public void onMessage(byte[] message) {
      if (response == null) {
        response = message;
      } else {
        extraResponse = true;
        call.cancel("more than one response to a unary call", null);
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      try {
        result.complete(
            extraResponse
                ? new Attempt.Failed("gRPC server sent more than one response to Export")
                : outcome(status, trailers, response));
      } catch (RuntimeException e) { // the future must complete whatever happens
        result.complete(new Attempt.Retryable("gRPC response could not be read: " + e, null));
      }
    }
  }

  /** The payload and response are already encoded: pass the bytes through. */
  private enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new BytesStream(value);
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

  /** Lets gRPC size the message up front and write it without an intermediate copy. */
  private static final class BytesStream extends ByteArrayInputStream
      implements KnownLength, Drainable {
    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int length = count - pos;
      target.write(buf, pos, length);
      pos = count;
      return length;
    }
  }

  /** Settings for a {@link GrpcTransport}. */
  public static final class Builder {
    private final URI endpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean gzip;
    private Duration timeout = Duration.ofSeconds(10);
    private SSLContext sslContext;

    private Builder(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Metadata sent with every call, such as {@code authorization}. Names are case-insensitive
     * (sent in lower case); values must be printable ASCII. Replaces earlier headers.
     */
    public Builder headers(Map<String, String> headers) {
      Objects.requireNonNull(headers, "headers");
      this.headers.clear();
      headers.forEach(
          (name, value) ->
              this.headers.put(
                  Objects.requireNonNull(name, "header name"),
                  Objects.requireNonNull(value, "value of header " + name)));
      return this;
    }

    /** {@code "gzip"} compresses each request; {@code "none"} (the default) does not. */
    public Builder compression(String compression) {
      Objects.requireNonNull(compression, "compression");
      switch (compression.toLowerCase(Locale.ROOT)) {
        case "gzip" -> gzip = true;
        case "none" -> gzip = false;
        default ->
            throw new IllegalArgumentException(
                "compression must be \"gzip\" or \"none\", not \"" + compression + "\"");
      }
      return this;
    }

    /** The deadline of each call (default 10 seconds). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, not " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * The TLS settings (trusted certificates, client key) for an {@code https} endpoint; without it
     * the JVM's default trust store applies.
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Creates the transport. The connection is made on the first send.
     *
     * @throws IllegalArgumentException if the endpoint or a header cannot be used
     */
    public GrpcTransport build() {
      String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme();
      boolean tls;
      switch (scheme.toLowerCase(Locale.ROOT)) {
        case "http" -> tls = false;
        case "https" -> tls = true;
        default ->
            throw new IllegalArgumentException(
                "gRPC endpoint must start with http:// or https://: " + endpoint);
      }
      String host = endpoint.getHost();
      if (host == null || host.isEmpty()) {
        throw new IllegalArgumentException("gRPC endpoint has no host: " + endpoint);
      }
      String path = endpoint.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/"))
          || endpoint.getRawQuery() != null
          || endpoint.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "gRPC endpoint must be just scheme, host and port (the method sets the path): "
                + endpoint);
      }
      if (sslContext != null && !tls) {
        throw new IllegalArgumentException(
            "an SSLContext was given but the endpoint is not https: " + endpoint);
      }
      int port = endpoint.getPort() != -1 ? endpoint.getPort() : tls ? 443 : 80;
      Metadata metadata = toMetadata(headers);

      ChannelCredentials credentials;
      if (!tls) {
        credentials = InsecureChannelCredentials.create();
      } else if (sslContext != null) {
        credentials = SslSocketFactoryChannelCredentials.create(sslContext.getSocketFactory());
      } else {
        credentials = TlsChannelCredentials.create();
      }
      ManagedChannel channel =
          OkHttpChannelBuilder.forAddress(host, port, credentials)
              .userAgent(USER_AGENT)
              // One attempt per send: Delivery owns retries and backoff.
              .disableRetry()
              .build();
      return new GrpcTransport(this, channel, metadata);
    }

    private static Metadata toMetadata(Map<String, String> headers) {
      Metadata metadata = new Metadata();
      headers.forEach(
          (name, value) -> {
            if (name.toLowerCase(Locale.ROOT).endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
              throw new IllegalArgumentException(
                  "binary (-bin) headers are not supported: " + name);
            }
            for (int i = 0; i < value.length(); i++) {
              char c = value.charAt(i);
              if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(
                    "value of header " + name + " must be printable ASCII");
              }
            }
            Metadata.Key<String> key;
            try {
              key = Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(
                  "invalid header name \"" + name + "\": " + e.getMessage(), e);
            }
            metadata.put(key, value);
          });
      return metadata;
    }
  }
}
