package dev.skein.exporter.otlp;

import dev.skein.exporter.PartialSuccess;
import dev.skein.exporter.ProtoReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads what an OTLP backend answers: the {@code ExportTraceServiceResponse} of an accepted
 * request, for partial success, and the {@code google.rpc.Status} of a refused one, for its
 * message. Both in protobuf and in JSON.
 */
final class OtlpResponses {

  private OtlpResponses() {}

  /** ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; } */
  static PartialSuccess partialSuccessFromProtobuf(byte[] body) {
    ProtoReader response = new ProtoReader(body);
    PartialSuccess result = PartialSuccess.NONE;
    while (response.next()) {
      if (response.field() != 1) {
        response.skip();
        continue;
      }
      // ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
      ProtoReader partial = response.message();
      long rejected = 0;
      String message = "";
      while (partial.next()) {
        switch (partial.field()) {
          case 1 -> rejected = partial.varint();
          case 2 -> message = partial.string();
          default -> partial.skip();
        }
      }
      result = new PartialSuccess(rejected, message);
    }
    return result;
  }

  static PartialSuccess partialSuccessFromJson(byte[] body) {
    if (!(JsonValueReader.parse(body) instanceof Map<?, ?> response)) {
      throw new IllegalArgumentException("the response is not a JSON object");
    }
    if (!(response.get("partialSuccess") instanceof Map<?, ?> partial)) {
      return PartialSuccess.NONE;
    }
    Object rejected = partial.get("rejectedSpans");
    Object message = partial.get("errorMessage");
    return new PartialSuccess(
        rejected == null ? 0 : jsonInt64(rejected), message instanceof String text ? text : "");
  }

  /** proto3 JSON writes int64 as a string or a number; both are accepted. */
  private static long jsonInt64(Object value) {
    String text =
        value instanceof JsonValueReader.Number number ? number.text() : String.valueOf(value);
    try {
      return new BigDecimal(text).longValueExact();
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("rejectedSpans is not an integer: " + text);
    }
  }

  /** google.rpc.Status { int32 code = 1; string message = 2; ... } */
  static String errorMessageFromProtobuf(byte[] body) {
    try {
      ProtoReader status = new ProtoReader(body);
      while (status.next()) {
        if (status.field() == 2) {
          return status.string();
        }
        status.skip();
      }
      return null;
    } catch (IllegalArgumentException e) {
      return asText(body); // not a Status: many proxies answer errors in plain text
    }
  }

  static String errorMessageFromJson(byte[] body) {
    try {
      if (JsonValueReader.parse(body) instanceof Map<?, ?> status
          && status.get("message") instanceof String message) {
        return message;
      }
    } catch (IllegalArgumentException e) {
      // not JSON: fall through to the text
    }
    return asText(body);
  }

  private static String asText(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t')
        ? text
        : null;
  }
}
