package dev.skein.server.ingest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

/**
 * OTLP/HTTP {@code POST /v1/traces}: protobuf or JSON in, the same encoding out. 200 with an {@code
 * ExportTraceServiceResponse} (its {@code partial_success} set when spans were rejected); errors
 * carry a {@code google.rpc.Status}.
 */
final class OtlpHttpService extends HttpReceiver {
  private final long retryAfterSeconds;

  OtlpHttpService(Ingest ingest, ReceiverMetrics metrics) {
    super(ingest, metrics);
    this.retryAfterSeconds = ingest.settings().retryAfterSeconds();
  }

  @Override
  Ingest.Decoder decoderFor(MediaType type) {
    if (type == null) {
      return null;
    }
    if (isJson(type)) {
      return OtlpJsonDecoder::decode;
    }
    if (type.is(MediaType.X_PROTOBUF) || type.is(MediaType.PROTOBUF)) {
      return OtlpProtobufDecoder::decode;
    }
    return null;
  }

  @Override
  String supportedTypes() {
    return "application/x-protobuf or application/json";
  }

  private static boolean isJson(MediaType type) {
    return type.is(MediaType.JSON);
  }

  @Override
  HttpResponse answer(Ingest.Outcome outcome, MediaType type) {
    boolean json = isJson(type);
    MediaType answerType = json ? MediaType.JSON : MediaType.X_PROTOBUF;
    if (outcome instanceof Ingest.Accepted accepted) {
      byte[] body =
          json
              ? OtlpMessages.exportResponseJson(accepted.decoded())
              : OtlpMessages.exportResponse(accepted.decoded());
      return HttpResponse.of(HttpStatus.OK, answerType, HttpData.wrap(body));
    }
    if (outcome instanceof Ingest.Malformed malformed) {
      return error(
          HttpStatus.BAD_REQUEST, OtlpMessages.INVALID_ARGUMENT, malformed.message(), json);
    }
    if (outcome instanceof Ingest.TooLarge tooLarge) {
      return error(
          HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          OtlpMessages.RESOURCE_EXHAUSTED,
          tooLarge.message(),
          json);
    }
    if (outcome instanceof Ingest.Overloaded overloaded) {
      return HttpReceiver.withRetryAfter(
          HttpStatus.TOO_MANY_REQUESTS,
          answerType,
          statusBody(OtlpMessages.RESOURCE_EXHAUSTED, overloaded.message(), json),
          retryAfterSeconds);
    }
    Ingest.Unavailable unavailable = (Ingest.Unavailable) outcome;
    return HttpReceiver.withRetryAfter(
        HttpStatus.SERVICE_UNAVAILABLE,
        answerType,
        statusBody(OtlpMessages.UNAVAILABLE, unavailable.message(), json),
        retryAfterSeconds);
  }

  private static HttpResponse error(HttpStatus status, int code, String message, boolean json) {
    return HttpResponse.of(
        status,
        json ? MediaType.JSON : MediaType.X_PROTOBUF,
        HttpData.wrap(statusBody(code, message, json)));
  }

  private static byte[] statusBody(int code, String message, boolean json) {
    return json ? OtlpMessages.statusJson(code, message) : OtlpMessages.status(code, message, null);
  }
}
