package dev.skein.server.ingest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceOptions;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.CompletableFuture;

/**
 * The part of the HTTP receivers that does not depend on the protocol: only POST, a known content
 * type and encoding, the body bounded as it arrives and again as it is inflated, then {@link
 * Ingest}. Nothing blocks: the body is aggregated asynchronously, decoded on the event loop that
 * received it, and the answer is sent once the sink's future completes.
 */
abstract class HttpReceiver implements HttpService {
  private final Ingest ingest;
  private final ReceiverMetrics metrics;
  private final ServiceOptions options;

  HttpReceiver(Ingest ingest, ReceiverMetrics metrics) {
    this.ingest = ingest;
    this.metrics = metrics;
    // No limit where Armeria would refuse a large Content-Length itself, with its own answer and
    // uncounted: serve() checks the declared length, BoundedBody the streamed one.
    this.options = ServiceOptions.builder().maxRequestLength(0).build();
  }

  /** The decoder for a content type, or null if the receiver does not take it. */
  abstract Ingest.Decoder decoderFor(MediaType contentType);

  /** The answer to a request that was read. */
  abstract HttpResponse answer(Ingest.Outcome outcome, MediaType contentType);

  /** What the receiver takes, for the 415 message. */
  abstract String supportedTypes();

  @Override
  public ServiceOptions options() {
    return options;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    metrics.requests.increment();
    if (req.method() != HttpMethod.POST) {
      metrics.requestsUnsupported.increment();
      return HttpResponse.of(
          ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
              .add(HttpHeaderNames.ALLOW, "POST")
              .contentType(MediaType.PLAIN_TEXT_UTF_8)
              .build(),
          HttpData.ofUtf8("only POST is allowed here"));
    }
    MediaType contentType = req.contentType();
    Ingest.Decoder decoder = decoderFor(contentType);
    if (decoder == null) {
      metrics.requestsUnsupported.increment();
      return plain(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Type "
              + (contentType == null ? "(none)" : contentType.toString())
              + ", expected "
              + supportedTypes());
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    boolean gzip = encoding != null && isGzip(encoding);
    if (encoding != null && !gzip && !encoding.trim().equalsIgnoreCase("identity")) {
      metrics.requestsUnsupported.increment();
      return plain(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding " + encoding + ", expected gzip or none");
    }
    ReceiverSettings settings = ingest.settings();
    if (req.headers().contentLength() > settings.maxRequestBytes()) {
      req.abort();
      return tooLarge(contentType, settings.maxRequestBytes());
    }
    // The body is bounded here, not by Armeria (which would answer 413 itself, uncounted).
    ctx.setMaxRequestLength(0);
    BoundedBody bounded =
        new BoundedBody(settings.maxRequestBytes(), req.headers().contentLength());
    req.subscribe(bounded, ctx.eventLoop());
    CompletableFuture<HttpResponse> response =
        bounded.body.thenCompose(
            body -> {
              if (body == null) {
                return CompletableFuture.completedFuture(
                    tooLarge(contentType, settings.maxRequestBytes()));
              }
              int length = body.length;
              if (gzip) {
                try {
                  body = Bodies.gunzip(body, 0, length, settings.maxDecompressedBytes());
                  length = body.length;
                } catch (Bodies.TooLargeException e) {
                  metrics.requestsTooLarge.increment();
                  return CompletableFuture.completedFuture(
                      answer(new Ingest.TooLarge(e.getMessage()), contentType));
                } catch (MalformedRequestException e) {
                  metrics.requestsMalformed.increment();
                  return CompletableFuture.completedFuture(
                      answer(new Ingest.Malformed(e.getMessage()), contentType));
                }
              }
              return ingest
                  .ingest(body, 0, length, decoder, metrics, ctx.eventLoop())
                  .thenApply(outcome -> answer(outcome, contentType));
            });
    return HttpResponse.of(response);
  }

  private HttpResponse tooLarge(MediaType contentType, long limit) {
    metrics.requestsTooLarge.increment();
    return answer(
        new Ingest.TooLarge("request body is larger than " + limit + " bytes"), contentType);
  }

  private static boolean isGzip(String encoding) {
    String trimmed = encoding.trim();
    return trimmed.equalsIgnoreCase("gzip") || trimmed.equalsIgnoreCase("x-gzip");
  }

  static HttpResponse plain(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
  }

  static HttpResponse withRetryAfter(HttpStatus status, MediaType type, byte[] body, long seconds) {
    return HttpResponse.of(
        ResponseHeaders.builder(status)
            .contentType(type)
            .add(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds))
            .build(),
        HttpData.wrap(body));
  }
}
