package dev.skein.propagation;

import io.opentelemetry.api.trace.SpanContext;

/**
 * A {@link SpanContext} that holds its ids as longs. Propagators write such a context's ids as hex
 * straight from the longs, and the tracer reads an extracted one without parsing hex strings, so
 * ids cross a process boundary without a string being made on either side.
 */
public interface LongIdSpanContext extends SpanContext {

  /** The high 8 bytes of the 16-byte trace id. */
  long traceIdHigh();

  /** The low 8 bytes of the 16-byte trace id. */
  long traceIdLow();

  long spanIdAsLong();
}
