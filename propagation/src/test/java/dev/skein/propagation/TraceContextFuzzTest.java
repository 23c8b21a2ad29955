package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W3C {@code traceparent} and {@code tracestate} from any headers. Beyond the checks every
 * propagator gets, an independent reading of the grammar decides whether the result may be valid: a
 * context comes out exactly when there is one {@code traceparent} and it is well formed, and then
 * with its ids. Seeds: {@code src/test/resources/dev/skein/propagation/TraceContextFuzzTestInputs}.
 */
class TraceContextFuzzTest {

  private static final TextMapPropagator W3C = TraceContextPropagator.getInstance();

  @FuzzTest(maxDuration = FuzzSettings.MAX_DURATION)
  @DictionaryEntries({
    "traceparent: ",
    "tracestate: ",
    "TraceParent: ",
    "00-",
    "01-",
    "ff-",
    "-00",
    "-01",
    "-03",
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "00f067aa0ba902b7",
    "rojo=00f067aa0ba902b7",
    "congo=t61rcWkgMzE",
    "@vendor=",
  })
  void extractThenInject(FuzzedDataProvider data) {
    FuzzHeaders in = FuzzHeaders.from(data);
    Context extracted = PropagatorChecks.roundTrip(W3C, in);
    SpanContext span = Span.fromContext(extracted).getSpanContext();

    List<String> traceparents = in.all("traceparent");
    Traceparent expected = traceparents.size() == 1 ? Traceparent.read(traceparents.get(0)) : null;
    if (expected == null) {
      assertThat(span.isValid()).as("valid context from %s", in).isFalse();
      return;
    }
    assertThat(span.isValid()).as("valid context from %s", in).isTrue();
    assertThat(span.getTraceId()).as("trace id from %s", in).isEqualTo(expected.traceId());
    assertThat(span.getSpanId()).as("span id from %s", in).isEqualTo(expected.spanId());
    assertThat(span.isSampled()).as("sampled from %s", in).isEqualTo((expected.flags() & 1) != 0);
    assertMembersFollowTheGrammar(span.getTraceState(), in);

    Map<String, String> sent = PropagatorChecks.inject(W3C, extracted);
    Traceparent written = Traceparent.read(sent.get("traceparent"));
    assertThat(written).as("traceparent written for %s: %s", in, sent).isNotNull();
    assertThat(written.version()).isEqualTo("00");
    assertThat(written.rest()).isNull();
  }

  /** At most 32 members, no key twice, every key and value as the spec's ABNF allows. */
  private static void assertMembersFollowTheGrammar(TraceState state, FuzzHeaders in) {
    assertThat(state.size()).as("tracestate members from %s", in).isLessThanOrEqualTo(32);
    assertThat(state.asMap()).as("distinct keys from %s", in).hasSize(state.size());
    state.forEach(
        (key, value) -> {
          assertThat(key).as("tracestate key from %s", in).matches(TRACESTATE_KEY);
          assertThat(value).as("tracestate value from %s", in).matches(TRACESTATE_VALUE);
        });
  }

  private static final Pattern TRACESTATE_KEY = Pattern.compile("[a-z0-9][a-z0-9_\\-*/@]{0,255}");

  /** chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E; the last one not blank. */
  private static final Pattern TRACESTATE_VALUE =
      Pattern.compile(
          "[\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e]");

  /**
   * A {@code traceparent} read by the spec's rules with a regular expression, independently of the
   * propagator's hand-written parser.
   */
  record Traceparent(String version, String traceId, String spanId, int flags, String rest) {

    /** Optional blanks around the value; version, ids and flags in lowercase hex. */
    private static final Pattern SHAPE =
        Pattern.compile(
            "[ \\t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*?)?[ \\t]*",
            Pattern.DOTALL);

    /** The parts of a valid header, or null when the spec says to restart the trace. */
    static Traceparent read(String header) {
      if (header == null) {
        return null;
      }
      Matcher m = SHAPE.matcher(header);
      if (!m.matches()) {
        return null;
      }
      String version = m.group(1);
      String rest = m.group(5);
      boolean versionOk = version.equals("00") ? rest == null : !version.equals("ff");
      if (!versionOk || m.group(2).equals("0".repeat(32)) || m.group(3).equals("0".repeat(16))) {
        return null;
      }
      return new Traceparent(
          version, m.group(2), m.group(3), Integer.parseInt(m.group(4), 16), rest);
    }
  }
}
