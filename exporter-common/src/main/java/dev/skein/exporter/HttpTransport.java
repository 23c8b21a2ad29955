package dev.skein.exporter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

/**
 * Posts payloads over HTTP with the JDK's own client, so an instrumented service takes on no
 * dependency for it. Classifies the response as OTLP/HTTP does: 2xx accepted; 429, 502, 503 and 504
 * retryable (with {@code Retry-After}); every other status refused; connection failures and
 * timeouts retryable. At most {@link #MAX_RESPONSE_BYTES} of a response are read, so a backend
 * cannot make the application buffer without limit.
 */
public final class HttpTransport implements Transport {

  /** The most bytes read from any response body; the rest is discarded. */
  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private static final Set<Integer> RETRYABLE_STATUS = Set.of(429, 502, 503, 504);
  private static final int MAX_ERROR_MESSAGE_CHARS = 512;

  private final URI endpoint;
  private final HttpClient client;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final Duration timeout;
  private final Function<byte[], String> errorMessageReader;

  private HttpTransport(Builder builder) {
    this.endpoint = builder.endpoint;
    this.headers = Map.copyOf(builder.headers);
    this.gzip = builder.gzip;
    this.timeout = builder.timeout;
    this.errorMessageReader = builder.errorMessageReader;
    HttpClient.Builder client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            // Plain-text HTTP/2 would start with an Upgrade request many collectors refuse.
            .version(
                "https".equals(endpoint.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1);
    if (builder.sslContext != null) {
      client.sslContext(builder.sslContext);
    }
    this.client = client.build();
  }

  /**
   * @param endpoint the full URL requests are posted to, {@code http} or {@code https}
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  @Override
  public CompletableFuture<Attempt> send(byte[] payload) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout);
    headers.forEach(request::header);
    byte[] body = payload;
    if (gzip) {
      body = gzip(payload);
      request.header("Content-Encoding", "gzip");
    }
    request.POST(HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      return client
          .sendAsync(request.build(), info -> LimitedBody.subscriber(MAX_RESPONSE_BYTES))
          .handle(this::classify);
    } catch (RuntimeException e) { // e.g. a header the client refuses
      return CompletableFuture.completedFuture(new Attempt.Failed("cannot send: " + e));
    }
  }

  private Attempt classify(HttpResponse<byte[]> response, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof HttpTimeoutException) {
        return new Attempt.Retryable("no response within " + timeout, null);
      }
      return new Attempt.Retryable("cannot reach " + endpoint + ": " + describe(cause), null);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Attempt.Accepted(response.body());
    }
    String reason = "HTTP " + status + errorMessage(response.body());
    if (RETRYABLE_STATUS.contains(status)) {
      Duration retryAfter =
          response.headers().firstValue("Retry-After").map(HttpTransport::retryAfter).orElse(null);
      return new Attempt.Retryable(reason, retryAfter);
    }
    return new Attempt.Failed(reason);
  }

  private String errorMessage(byte[] body) {
    if (body.length == 0) {
      return "";
    }
    String message;
    try {
      message = errorMessageReader.apply(body);
    } catch (RuntimeException e) {
      message = null;
    }
    if (message == null || message.isBlank()) {
      return "";
    }
    message = message.strip();
    if (message.length() > MAX_ERROR_MESSAGE_CHARS) {
      message = message.substring(0, MAX_ERROR_MESSAGE_CHARS) + "…";
    }
    return ": " + message;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }

  /**
   * Reads {@code Retry-After}: delay-seconds or an HTTP date. Null when it is neither, so a garbled
   * header means ordinary backoff.
   */
  static Duration retryAfter(String value) {
    String v = value.strip();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return v.length() > 9
          ? Duration.ofSeconds(999_999_999)
          : Duration.ofSeconds(Long.parseLong(v));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return until.isNegative() ? Duration.ZERO : until;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static byte[] gzip(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length / 4 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out, 8192)) {
      zip.write(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    // The JDK 17 client has no close; its threads are daemons and end with the last reference.
  }

  @Override
  public String toString() {
    return "HTTP " + endpoint;
  }

  /** Configures an {@link HttpTransport}. */
  public static final class Builder {
    private final URI endpoint;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean gzip;
    private Duration timeout = Duration.ofSeconds(10);
    private SSLContext sslContext;
    private Function<byte[], String> errorMessageReader =
        body -> new String(body, StandardCharsets.UTF_8);

    private Builder(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL with a host, was " + endpoint);
      }
      this.endpoint = endpoint;
    }

    /** The {@code Content-Type} of payloads, such as {@code application/x-protobuf}. */
    public Builder contentType(String contentType) {
      return header("Content-Type", contentType);
    }

    /** A header sent with every request, such as an authorization token. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    /** {@code gzip} or {@code none}. */
    public Builder compression(String compression) {
      switch (compression.toLowerCase(Locale.ROOT)) {
        case "gzip" -> gzip = true;
        case "none" -> gzip = false;
        default ->
            throw new IllegalArgumentException(
                "compression must be gzip or none, was '" + compression + "'");
      }
      return this;
    }

    /** How long one request may take, connecting included (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The TLS setup for {@code https} endpoints; the JDK's default trust when not set. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /**
     * Turns the body of an error response into a message for logs and exceptions; by default the
     * body as UTF-8 text.
     */
    public Builder errorMessageReader(Function<byte[], String> errorMessageReader) {
      this.errorMessageReader = Objects.requireNonNull(errorMessageReader, "errorMessageReader");
      return this;
    }

    public HttpTransport build() {
      return new HttpTransport(this);
    }
  }
}
