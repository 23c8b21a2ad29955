package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;

/**
 * What every propagator must do with any input, whatever its format: the fuzz tests run these first
 * and add their format's own oracle. An exception escaping from extract or inject fails the test by
 * itself.
 */
final class PropagatorChecks {

  private PropagatorChecks() {}

  /**
   * Extracts from {@code in}, injects the result, extracts that again, and checks that:
   *
   * <ul>
   *   <li>the carrier is read a bounded number of times: a few reads per field, one per header when
   *       the propagator walks the keys;
   *   <li>a valid span context is remote and has non-zero lowercase-hex ids;
   *   <li>what is injected is a legal HTTP header value (no CR, LF or other control characters:
   *       nothing read from a request may split the headers of the next one);
   *   <li>the next hop extracts the same trace id, span id and sampled flag;
   *   <li>injecting what the next hop extracted writes the same headers: nothing is lost or changed
   *       by a second trip.
   * </ul>
   *
   * @return the context extracted from {@code in}, for the caller's own oracle
   */
  static Context roundTrip(TextMapPropagator propagator, FuzzHeaders in) {
    Context extracted = propagator.extract(Context.root(), in, FuzzHeaders.GETTER);
    assertThat(in.reads)
        .as("carrier reads for %s", in)
        .isLessThanOrEqualTo(readBound(propagator, in));

    SpanContext span = Span.fromContext(extracted).getSpanContext();
    if (span.isValid()) {
      assertThat(span.isRemote()).as("remote, from %s", in).isTrue();
      assertThat(TraceId.isValid(span.getTraceId())).as("trace id of %s", span).isTrue();
      assertThat(SpanId.isValid(span.getSpanId())).as("span id of %s", span).isTrue();
    }

    Map<String, String> sent = inject(propagator, extracted);
    sent.forEach((name, value) -> assertLegalHeader(name, value, in));

    Context nextHop = propagator.extract(Context.root(), sent, Carriers.mapGetter());
    SpanContext received = Span.fromContext(nextHop).getSpanContext();
    assertThat(received.isValid())
        .as("valid after a round trip of %s as %s", in, sent)
        .isEqualTo(span.isValid());
    if (span.isValid()) {
      assertThat(received.getTraceId())
          .as("trace id sent as %s", sent)
          .isEqualTo(span.getTraceId());
      assertThat(received.getSpanId()).as("span id sent as %s", sent).isEqualTo(span.getSpanId());
      assertThat(received.isSampled()).as("sampled sent as %s", sent).isEqualTo(span.isSampled());
    }
    assertThat(inject(propagator, nextHop)).as("second hop of %s", in).isEqualTo(sent);
    return extracted;
  }

  static Map<String, String> inject(TextMapPropagator propagator, Context context) {
    Map<String, String> out = new HashMap<>();
    propagator.inject(context, out, Carriers.mapSetter());
    return out;
  }

  /**
   * Generous, but linear in the number of headers: a few reads of each field the propagator
   * declares, and one pass over the keys for those that match a prefix (Jaeger's {@code uberctx-}).
   */
  static int readBound(TextMapPropagator propagator, FuzzHeaders in) {
    return 4 * (propagator.fields().size() + 1) + 2 * in.size() + 2;
  }

  /** RFC 9110: a token for the name; visible ASCII, space and tab for the value. */
  static void assertLegalHeader(String name, String value, FuzzHeaders from) {
    assertThat(isToken(name)).as("header name '%s' written for %s", name, from).isTrue();
    assertThat(value).as("value of %s written for %s", name, from).isNotNull();
    assertThat(value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f)))
        .as("value of %s written for %s: '%s'", name, from, value)
        .isTrue();
  }

  static boolean isToken(String s) {
    return !s.isEmpty() && s.chars().allMatch(PropagatorChecks::isTokenChar);
  }

  static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
