package dev.skein.server.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Any bytes give a result or a {@link MalformedRequestException}; and whenever protobuf-java's
 * generated parser accepts the bytes, the decoder accepts them too and gives exactly the spans the
 * documented mapping makes of the parsed message.
 */
class OtlpProtobufDecoderFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyBytes(byte[] body) {
    DecodedSpans decoded;
    try {
      decoded = OtlpProtobufDecoder.decode(body, Integer.MAX_VALUE);
    } catch (MalformedRequestException e) {
      decoded = null;
      checkGeneratedParserRejects(body, e);
    }
    if (decoded == null) {
      return;
    }
    FuzzChecks.check(decoded);
    ExportTraceServiceRequest parsed;
    try {
      parsed = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      return; // stricter than the decoder (it checks UTF-8, for one)
    }
    ExpectedOtlp expected = ExpectedOtlp.of(parsed);
    if (!decoded.spans().equals(expected.spans) || decoded.rejected() != expected.rejected) {
      throw new AssertionError(
          "decoded " + decoded + " but the generated parser's message maps to " + expected.spans);
    }
  }

  private static void checkGeneratedParserRejects(byte[] body, MalformedRequestException e) {
    if (e.getMessage().contains("nest deeper than")) {
      return; // the decoder's own, lower nesting limit
    }
    if (e.getMessage().contains("malformed varint")) {
      // Varints are at most 10 bytes. The decoder skips unknown varint fields with
      // CodedInputStream.skipField, which enforces that; the generated parser keeps them with
      // readInt64, which ignores the continuation bit of a 10th byte.
      return;
    }
    try {
      ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException expected) {
      return;
    }
    throw new AssertionError("the generated parser accepts what the decoder called malformed", e);
  }
}
