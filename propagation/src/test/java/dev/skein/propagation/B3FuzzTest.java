package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * B3 from any headers, through both flavours: they extract alike (inject is what differs), and a
 * context comes out exactly when the {@code b3} header, or else the {@code X-B3-*} headers, are
 * well formed by an independent reading of the B3 spec. Seeds: {@code
 * src/test/resources/dev/skein/propagation/B3FuzzTestInputs}.
 */
class B3FuzzTest {

  @FuzzTest(maxDuration = FuzzSettings.MAX_DURATION)
  @DictionaryEntries({
    "b3: ",
    "X-B3-TraceId: ",
    "X-B3-SpanId: ",
    "X-B3-ParentSpanId: ",
    "X-B3-Sampled: ",
    "X-B3-Flags: ",
    "x-b3-traceid: ",
    "80f198ee56343ba864fe8b2a57d3eff7",
    "e457b5a2e4d86bd1",
    "-1",
    "-0",
    "-d",
    "true",
  })
  void extractThenInject(FuzzedDataProvider data) {
    FuzzHeaders in = FuzzHeaders.from(data);
    Context single = PropagatorChecks.roundTrip(B3Propagator.injectingSingleHeader(), in);
    in.reads = 0;
    Context multi = PropagatorChecks.roundTrip(B3Propagator.injectingMultiHeaders(), in);
    SpanContext span = Span.fromContext(single).getSpanContext();
    assertThat(Span.fromContext(multi).getSpanContext()).as("from %s", in).isEqualTo(span);

    Expected expected = Expected.single(in.get("b3"));
    if (expected == null) {
      expected = Expected.multi(in);
    }
    if (expected == null) {
      assertThat(span.isValid()).as("valid context from %s", in).isFalse();
      return;
    }
    assertThat(span.isValid()).as("valid context from %s", in).isTrue();
    assertThat(span.getTraceId()).as("trace id from %s", in).isEqualTo(expected.traceId());
    assertThat(span.getSpanId()).as("span id from %s", in).isEqualTo(expected.spanId());
    assertThat(span.isSampled()).as("sampled from %s", in).isEqualTo(expected.sampled());
  }

  /** The ids and sampling decision that B3 headers describe, read with regular expressions. */
  record Expected(String traceId, String spanId, boolean sampled) {

    private static final String OWS = "[ \\t]*";
    private static final String TRACE_ID = "([0-9a-f]{16}|[0-9a-f]{32})";
    private static final String SPAN_ID = "([0-9a-f]{16})";

    /** {@code {trace}-{span}[-{1|0|d}[-{parent}]]}. */
    private static final Pattern SINGLE =
        Pattern.compile(OWS + TRACE_ID + "-" + SPAN_ID + "(?:-([01d])(?:-[0-9a-f]{16})?)?" + OWS);

    private static final Pattern TRACE = Pattern.compile(OWS + TRACE_ID + OWS);
    private static final Pattern SPAN = Pattern.compile(OWS + SPAN_ID + OWS);
    private static final Pattern SAMPLED =
        Pattern.compile(OWS + "(0|1|true|false)" + OWS, Pattern.CASE_INSENSITIVE);
    private static final Pattern DEBUG = Pattern.compile(OWS + "1" + OWS);

    static Expected single(String b3) {
      Matcher m = b3 == null ? null : SINGLE.matcher(b3);
      if (m == null || !m.matches()) {
        return null;
      }
      String state = m.group(3);
      return valid(m.group(1), m.group(2), "1".equals(state) || "d".equals(state));
    }

    static Expected multi(FuzzHeaders in) {
      Matcher trace = matcher(TRACE, in.get("X-B3-TraceId"));
      Matcher span = matcher(SPAN, in.get("X-B3-SpanId"));
      String parent = in.get("X-B3-ParentSpanId");
      String sampledHeader = in.get("X-B3-Sampled");
      Matcher sampled = matcher(SAMPLED, sampledHeader);
      if (trace == null
          || span == null
          || (parent != null && matcher(SPAN, parent) == null)
          || (sampledHeader != null && sampled == null)) {
        return null;
      }
      boolean accept = sampled != null && sampled.group(1).matches("(?i)1|true");
      boolean debug = matcher(DEBUG, in.get("X-B3-Flags")) != null;
      return valid(trace.group(1), span.group(1), accept || debug);
    }

    private static Matcher matcher(Pattern pattern, String header) {
      if (header == null) {
        return null;
      }
      Matcher m = pattern.matcher(header);
      return m.matches() ? m : null;
    }

    /** A 64-bit trace id fills the low half; all-zero ids are invalid. */
    private static Expected valid(String traceId, String spanId, boolean sampled) {
      String padded = "0".repeat(32 - traceId.length()) + traceId;
      if (padded.equals("0".repeat(32)) || spanId.equals("0".repeat(16))) {
        return null;
      }
      return new Expected(padded, spanId, sampled);
    }
  }
}
