package dev.skein.server.ingest;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.nio.charset.StandardCharsets;

/**
 * Zipkin's {@code POST /api/v2/spans}: a JSON list of v2 spans or a proto3 {@code ListOfSpans}. 202
 * when stored; errors are plain text. Zipkin has no partial success: invalid spans are left out and
 * counted, and a request whose spans were all invalid gets 400 naming the first problem.
 */
final class ZipkinHttpService extends HttpReceiver {
  private final long retryAfterSeconds;

  ZipkinHttpService(Ingest ingest, ReceiverMetrics metrics) {
    super(ingest, metrics);
    this.retryAfterSeconds = ingest.settings().retryAfterSeconds();
  }

  @Override
  Ingest.Decoder decoderFor(MediaType type) {
    // Zipkin's own server takes a request without a content type as JSON.
    if (type == null || type.is(MediaType.JSON)) {
      return ZipkinJsonDecoder::decode;
    }
    if (type.is(MediaType.X_PROTOBUF) || type.is(MediaType.PROTOBUF)) {
      return ZipkinProto3Decoder::decode;
    }
    return null;
  }

  @Override
  String supportedTypes() {
    return "application/json or application/x-protobuf";
  }

  @Override
  HttpResponse answer(Ingest.Outcome outcome, MediaType type) {
    if (outcome instanceof Ingest.Accepted accepted) {
      DecodedSpans decoded = accepted.decoded();
      if (decoded.spans().isEmpty() && decoded.rejected() > 0) {
        return plain(HttpStatus.BAD_REQUEST, "no valid span: " + decoded.firstRejection());
      }
      return HttpResponse.of(HttpStatus.ACCEPTED);
    }
    if (outcome instanceof Ingest.Malformed malformed) {
      return plain(HttpStatus.BAD_REQUEST, malformed.message());
    }
    if (outcome instanceof Ingest.TooLarge tooLarge) {
      return plain(HttpStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge.message());
    }
    String message =
        outcome instanceof Ingest.Overloaded overloaded
            ? overloaded.message()
            : ((Ingest.Unavailable) outcome).message();
    HttpStatus status =
        outcome instanceof Ingest.Overloaded
            ? HttpStatus.TOO_MANY_REQUESTS
            : HttpStatus.SERVICE_UNAVAILABLE;
    return HttpReceiver.withRetryAfter(
        status,
        MediaType.PLAIN_TEXT_UTF_8,
        message.getBytes(StandardCharsets.UTF_8),
        retryAfterSeconds);
  }
}
