package dev.skein.exporter.zipkin;

import dev.skein.exporter.SpanEncoder;

/** One of the two encodings Zipkin's {@code POST /api/v2/spans} accepts. */
interface ZipkinEncoder extends SpanEncoder {

  /** The {@code Content-Type} Zipkin expects for this encoding. */
  String contentType();
}
