package dev.skein.exporter.zipkin;

import dev.skein.exporter.WireBuffer;
import dev.skein.sdk.SpanData;
import java.util.Collection;

/** One of the two encodings Zipkin's {@code POST /api/v2/spans} accepts. */
interface SpanEncoder {

  /** Appends the encoded list of {@code spans} to {@code out}. */
  void encode(Collection<? extends SpanData> spans, WireBuffer out);

  /** The {@code Content-Type} Zipkin expects for this encoding. */
  String contentType();
}
