package dev.skein.exporter.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.codec.SpanBytesDecoder;
import zipkin2.codec.SpanBytesEncoder;

class ZipkinProtoEncoderTest {

  private final ZipkinProtoEncoder encoder = new ZipkinProtoEncoder();

  @Test
  void sameSpansAsTheJsonEncoding() {
    SampleTrace trace =
        SampleTrace.record("4bf92f3577b34da6a3ce929d0e0e4736", 1_700_000_000_000_000_000L);

    byte[] proto = encoder.encode(trace.spans());
    byte[] json = new ZipkinJsonEncoder().encode(trace.spans());

    assertThat(SpanBytesDecoder.PROTO3.decodeList(proto))
        .isEqualTo(SpanBytesDecoder.JSON_V2.decodeList(json));
    assertThat(proto.length).isLessThan(json.length);
  }

  @Test
  void asCompactAsZipkinsOwnEncoder() {
    // Zipkin's encoder writes the same fields, so a size difference would mean a wasted or missing
    // field. (Byte order may differ: Zipkin sorts tags.)
    SampleTrace trace =
        SampleTrace.record("4bf92f3577b34da6a3ce929d0e0e4736", 1_700_000_000_000_000_000L);

    byte[] ours = encoder.encode(trace.spans());
    byte[] zipkins = SpanBytesEncoder.PROTO3.encodeList(SpanBytesDecoder.PROTO3.decodeList(ours));

    assertThat(ours.length).isEqualTo(zipkins.length);
  }

  @Test
  void anEmptyBatchIsNoBytes() {
    assertThat(encoder.encode(List.of())).isEmpty();
    assertThat(encoder.contentType()).isEqualTo("application/x-protobuf");
  }
}
