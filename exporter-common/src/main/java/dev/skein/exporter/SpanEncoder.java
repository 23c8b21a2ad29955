package dev.skein.exporter;

import dev.skein.sdk.SpanData;
import java.util.Collection;

/** Writes a batch of spans as one request body in some wire format (OTLP, Zipkin). */
public interface SpanEncoder {

  /**
   * Appends the encoded request for {@code spans} to {@code out}.
   *
   * @throws IllegalArgumentException when a span holds something the format cannot carry
   */
  void encode(Collection<? extends SpanData> spans, WireBuffer out);
}
