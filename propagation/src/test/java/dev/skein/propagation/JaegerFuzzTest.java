package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jaeger's {@code uber-trace-id} and {@code uberctx-} baggage from any headers: a context comes out
 * exactly when {@code uber-trace-id} is well formed by an independent reading of Jaeger's format,
 * and baggage keys come out as lowercase tokens. Seeds: {@code
 * src/test/resources/dev/skein/propagation/JaegerFuzzTestInputs}.
 */
class JaegerFuzzTest {

  private static final TextMapPropagator JAEGER = JaegerPropagator.getInstance();

  /** {@code {trace}:{span}:{parent}:{flags}}, hex of either case, {@code :} or {@code %3A}. */
  private static final Pattern UBER_TRACE_ID =
      Pattern.compile(
          "[ \\t]*([0-9a-fA-F]{1,32})(?::|%3[aA])([0-9a-fA-F]{1,16})(?::|%3[aA])"
              + "[0-9a-fA-F]{1,16}(?::|%3[aA])([0-9a-fA-F]{1,2})[ \\t]*");

  @FuzzTest(maxDuration = FuzzSettings.MAX_DURATION)
  @DictionaryEntries({
    "uber-trace-id: ",
    "Uber-Trace-Id: ",
    "uberctx-",
    ":0:",
    ":1",
    "%3A",
    "+",
    "%20",
    "80f198ee56343ba864fe8b2a57d3eff7",
    "e457b5a2e4d86bd1",
  })
  void extractThenInject(FuzzedDataProvider data) {
    FuzzHeaders in = FuzzHeaders.from(data);
    Context extracted = PropagatorChecks.roundTrip(JAEGER, in);

    SpanContext span = Span.fromContext(extracted).getSpanContext();
    Matcher m = UBER_TRACE_ID.matcher(String.valueOf(in.get("uber-trace-id")));
    String traceId = m.matches() ? pad(m.group(1), 32) : "0".repeat(32);
    String spanId = m.matches() ? pad(m.group(2), 16) : "0".repeat(16);
    boolean expectValid = !traceId.equals("0".repeat(32)) && !spanId.equals("0".repeat(16));
    assertThat(span.isValid()).as("valid context from %s", in).isEqualTo(expectValid);
    if (expectValid) {
      assertThat(span.getTraceId()).as("trace id from %s", in).isEqualTo(traceId);
      assertThat(span.getSpanId()).as("span id from %s", in).isEqualTo(spanId);
      int flags = Integer.parseInt(m.group(3), 16);
      assertThat(span.isSampled()).as("sampled from %s", in).isEqualTo((flags & 0x03) != 0);
    }

    Baggage.fromContext(extracted)
        .forEach(
            (key, entry) -> {
              assertThat(PropagatorChecks.isToken(key)).as("key '%s' from %s", key, in).isTrue();
              assertThat(key).as("key from %s", in).isLowerCase();
            });
  }

  /** Jaeger ids may come short; receivers left-pad them, and read any case. */
  private static String pad(String hex, int length) {
    return ("0".repeat(length - hex.length()) + hex).toLowerCase(java.util.Locale.ROOT);
  }
}
