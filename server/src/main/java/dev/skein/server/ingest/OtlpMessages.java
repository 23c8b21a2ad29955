package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few messages the receivers answer with, written by hand: {@code ExportTraceServiceResponse}
 * and {@code google.rpc.Status} (with a {@code google.rpc.RetryInfo} detail), in protobuf and JSON.
 */
final class OtlpMessages {
  /** google.rpc.Code numbers. */
  static final int INVALID_ARGUMENT = 3;

  static final int RESOURCE_EXHAUSTED = 8;
  static final int UNAVAILABLE = 14;

  private static final String RETRY_INFO_TYPE = "type.googleapis.com/google.rpc.RetryInfo";
  private static final byte[] EMPTY = new byte[0];

  private OtlpMessages() {}

  /** {@code ExportTraceServiceResponse}: empty when nothing was rejected. */
  static byte[] exportResponse(DecodedSpans decoded) {
    if (decoded.rejected() == 0) {
      return EMPTY;
    }
    return write(
        out -> {
          byte[] partial =
              write(
                  p -> {
                    p.writeInt64(1, decoded.rejected());
                    p.writeString(2, decoded.firstRejection());
                  });
          out.writeByteArray(1, partial);
        });
  }

  /** {@code ExportTraceServiceResponse} in OTLP/JSON. */
  static byte[] exportResponseJson(DecodedSpans decoded) {
    if (decoded.rejected() == 0) {
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    return json(
        json -> {
          json.writeStartObject();
          json.writeObjectFieldStart("partialSuccess");
          // int64 is a decimal string in proto3 JSON.
          json.writeStringField("rejectedSpans", Long.toString(decoded.rejected()));
          json.writeStringField("errorMessage", decoded.firstRejection());
          json.writeEndObject();
          json.writeEndObject();
        });
  }

  /** {@code google.rpc.Status}, with a {@code RetryInfo} detail if {@code retryDelay} is set. */
  static byte[] status(int code, String message, Duration retryDelay) {
    return write(
        out -> {
          out.writeInt32(1, code);
          out.writeString(2, message);
          if (retryDelay != null) {
            byte[] duration =
                write(
                    d -> {
                      d.writeInt64(1, retryDelay.getSeconds());
                      if (retryDelay.getNano() != 0) {
                        d.writeInt32(2, retryDelay.getNano());
                      }
                    });
            byte[] retryInfo = write(r -> r.writeByteArray(1, duration));
            byte[] any =
                write(
                    a -> {
                      a.writeString(1, RETRY_INFO_TYPE);
                      a.writeByteArray(2, retryInfo);
                    });
            out.writeByteArray(3, any);
          }
        });
  }

  /** {@code google.rpc.Status} in proto3 JSON: code and message. */
  static byte[] statusJson(int code, String message) {
    return json(
        json -> {
          json.writeStartObject();
          json.writeNumberField("code", code);
          json.writeStringField("message", message);
          json.writeEndObject();
        });
  }

  private interface ProtoWriter {
    void write(CodedOutputStream out) throws IOException;
  }

  private interface JsonWriter {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] write(ProtoWriter writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }

  private static byte[] json(JsonWriter writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = Json.FACTORY.createGenerator(bytes)) {
      writer.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    return bytes.toByteArray();
  }
}
