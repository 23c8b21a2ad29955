package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.exporter.PartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Responses written by the official classes and by hand, read back. */
class OtlpResponsesTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void partialSuccessFromProtobuf() {
    byte[] body =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(42)
                    .setErrorMessage("span ids must not be zero"))
            .build()
            .toByteArray();

    assertThat(OtlpResponses.partialSuccessFromProtobuf(body))
        .isEqualTo(new PartialSuccess(42, "span ids must not be zero"));
  }

  @Test
  void emptyResponseMeansEverythingKept() {
    byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
    assertThat(OtlpResponses.partialSuccessFromProtobuf(body)).isEqualTo(PartialSuccess.NONE);
    assertThat(OtlpResponses.partialSuccessFromJson(utf8("{}"))).isEqualTo(PartialSuccess.NONE);
  }

  @Test
  void partialSuccessFromJsonTakesInt64AsStringOrNumber() {
    assertThat(
            OtlpResponses.partialSuccessFromJson(
                utf8(
                    "{\"partialSuccess\":{\"rejectedSpans\":\"3\",\"errorMessage\":\"bad \\\"id\\\"\"}}")))
        .isEqualTo(new PartialSuccess(3, "bad \"id\""));
    assertThat(
            OtlpResponses.partialSuccessFromJson(
                utf8(
                    " { \"partialSuccess\" : { \"rejectedSpans\" : 7 } , \"x\": [1, true, null] } ")))
        .isEqualTo(new PartialSuccess(7, ""));
  }

  @Test
  void malformedResponsesAreErrorsThatSayWhere() {
    assertThatThrownBy(
            () -> OtlpResponses.partialSuccessFromProtobuf(new byte[] {0x0a, 0x05, 0x08}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims 5 bytes");
    assertThatThrownBy(() -> OtlpResponses.partialSuccessFromJson(utf8("{\"partialSuccess\":")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(
            () ->
                OtlpResponses.partialSuccessFromJson(
                    utf8("{\"partialSuccess\":{\"rejectedSpans\":1.5}}")))
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> OtlpResponses.partialSuccessFromJson(utf8("[1]")))
        .hasMessageContaining("not a JSON object");
    // A length of 2^64 - 1: negative as a long, which once slipped past the bounds check.
    byte[] hugeLength = {0x0a, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x01};
    assertThatThrownBy(() -> OtlpResponses.partialSuccessFromProtobuf(hugeLength))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims");
    assertThat(OtlpResponses.errorMessageFromProtobuf(hugeLength)).isNull();
    String deep = "[".repeat(10_000);
    assertThatThrownBy(() -> OtlpResponses.partialSuccessFromJson(utf8(deep)))
        .hasMessageContaining("nested deeper than");
  }

  @Test
  void errorMessageFromStatusInBothEncodings() {
    // google.rpc.Status { code = 3 (field 1, varint); message (field 2, string) }
    byte[] message = utf8("trace id is zero");
    byte[] proto = new byte[4 + message.length];
    proto[0] = 0x08;
    proto[1] = 3;
    proto[2] = 0x12;
    proto[3] = (byte) message.length;
    System.arraycopy(message, 0, proto, 4, message.length);
    assertThat(OtlpResponses.errorMessageFromProtobuf(proto)).isEqualTo("trace id is zero");
    assertThat(OtlpResponses.errorMessageFromJson(utf8("{\"code\":3,\"message\":\"too big\"}")))
        .isEqualTo("too big");
  }

  @Test
  void plainTextErrorsFromProxiesAreKeptButBinaryIsNot() {
    assertThat(OtlpResponses.errorMessageFromJson(utf8("Bad Gateway"))).isEqualTo("Bad Gateway");
    assertThat(OtlpResponses.errorMessageFromProtobuf(utf8("<html>no</html>")))
        .isEqualTo("<html>no</html>");
    assertThat(OtlpResponses.errorMessageFromProtobuf(new byte[] {0x0a, (byte) 0xff, 0x01}))
        .isNull();
  }
}
