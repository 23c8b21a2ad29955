package dev.skein.propagation;

import static dev.skein.propagation.TraceContextPropagatorTest.TRACE_ID;
import static dev.skein.propagation.TraceContextPropagatorTest.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.propagation.TraceContextPropagatorTest.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code tracestate} rules of W3C Trace Context Level 2, seen through the propagator. */
class TraceContextTracestateTest {

  final TraceContextPropagator propagator = TraceContextPropagator.getInstance();

  SpanContext extract(String... tracestates) {
    Headers headers = Headers.of("traceparent", VALID);
    for (String tracestate : tracestates) {
      headers.entries.add(new String[] {"tracestate", tracestate});
    }
    return Span.fromContext(propagator.extract(Context.root(), headers, Headers.GETTER))
        .getSpanContext();
  }

  TraceState state(String... tracestates) {
    SpanContext context = extract(tracestates);
    assertThat(context.getTraceId())
        .as("a bad tracestate never drops traceparent")
        .isEqualTo(TRACE_ID);
    return context.getTraceState();
  }

  /** The {@code tracestate} sent for a context, or null when none is sent. */
  String injected(SpanContext context) {
    Headers out = new Headers();
    propagator.inject(Context.root().with(Span.wrap(context)), out, Headers.SETTER);
    return out.get("tracestate");
  }

  static SpanContext withState(TraceState state) {
    return SpanContext.create(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(), state);
  }

  static String members(int count, int from) {
    return IntStream.range(from, from + count)
        .mapToObj(i -> String.format("bar%02d=%02d", i, i))
        .collect(Collectors.joining(","));
  }

  @Test
  void tracestate_withValidTraceparent_isExtracted() {
    TraceState state = state("foo=1,bar=2");

    assertThat(state.get("foo")).isEqualTo("1");
    assertThat(state.get("bar")).isEqualTo("2");
    assertThat(state.size()).isEqualTo(2);
  }

  @Test
  void tracestate_withoutTraceparent_isNotExtracted() {
    Headers headers = Headers.of("tracestate", "foo=1");

    Context context = propagator.extract(Context.root(), headers, Headers.GETTER);

    assertThat(context).isSameAs(Context.root());
    assertThat(headers.asked).containsExactly("traceparent");
  }

  @Test
  void tracestate_severalHeaders_areCombinedInOrder() {
    TraceState state = state("foo=1,bar=2", "rojo=1,congo=2", "baz=3");

    assertThat(state.asMap().keySet()).containsExactly("foo", "bar", "rojo", "congo", "baz");
    assertThat(injected(withState(state))).isEqualTo("foo=1,bar=2,rojo=1,congo=2,baz=3");
  }

  @Test
  void tracestate_emptyHeaders_areAccepted() {
    assertThat(state("").isEmpty()).isTrue();
    assertThat(state("foo=1", "").get("foo")).isEqualTo("1");
    assertThat(state("", "foo=1").get("foo")).isEqualTo("1");
  }

  @Test
  void tracestate_emptyAndWhitespaceOnlyMembers_areAccepted() {
    TraceState state = state(",foo=1,, \t ,bar=2,");

    assertThat(state.asMap()).containsExactly(entry("foo", "1"), entry("bar", "2"));
    assertThat(state(" , ,\t").isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo=1 \t , \t bar=2, \t baz=3",
        "foo=1\t \t,\t \tbar=2,\t \tbaz=3",
        " foo=1,bar=2,baz=3",
        "\tfoo=1,bar=2,baz=3 ",
        "\t foo=1,bar=2,baz=3 \t",
      })
  void tracestate_whitespaceAroundMembers_isIgnored(String header) {
    assertThat(state(header).asMap())
        .containsExactly(entry("foo", "1"), entry("bar", "2"), entry("baz", "3"));
  }

  @Test
  void tracestate_32Members_areKept() {
    TraceState state = state(members(10, 1), members(10, 11), members(10, 21), members(2, 31));

    assertThat(state.size()).isEqualTo(32);
    assertThat(state.get("bar01")).isEqualTo("01");
  }

  @Test
  void tracestate_33Members_areInvalid() {
    TraceState state = state(members(10, 1), members(10, 11), members(10, 21), members(3, 31));

    assertThat(state.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo@bar",
        "1tenant@vendor",
        "foo@",
        "foo@@bar",
        "foo@bar@baz",
        "a",
        "0",
        "abcdefghijklmnopqrstuvwxyz0123456789_-*/",
        "abcdefghijklmnopqrstuvwxyz0123456789_-*/@a-z0-9_-*/",
      })
  void tracestate_keyWithTenantOrAnyAllowedCharacter_isValid(String key) {
    TraceState state = state(key + "=1,bar=2");

    assertThat(state.get(key)).isEqualTo("1");
    assertThat(state.get("bar")).isEqualTo("2");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "@a=1,bar=2",
        "@=1,bar=2",
        "FOO=1,bar=2",
        "fOo=1,bar=2",
        "foo =1,bar=2",
        "foo.bar=1,bar=2",
        "_foo=1,bar=2",
        "=1,bar=2",
        "bar=2,foo bar=1",
        "bar=2,foo",
        "bar=2,f\u00f6o=1",
      })
  void tracestate_invalidKey_dropsTheWholeHeader(String header) {
    assertThat(state(header).isEmpty()).isTrue();
  }

  @Test
  void tracestate_keyOf256Characters_isValid() {
    String plain = "z".repeat(256);
    String tenant = "t".repeat(241) + "@" + "v".repeat(14);
    String vendorLast = "t".repeat(242) + "@v";

    assertThat(state("foo=1", plain + "=1").get(plain)).isEqualTo("1");
    assertThat(state("foo=1", tenant + "=1").get(tenant)).isEqualTo("1");
    assertThat(state("foo=1", vendorLast + "=1").get(vendorLast)).isEqualTo("1");
  }

  @Test
  void tracestate_keyOf257Characters_isInvalid() {
    assertThat(state("foo=1", "z".repeat(257) + "=1").isEmpty()).isTrue();
    assertThat(state("foo=1", "t".repeat(241) + "@" + "v".repeat(15) + "=1").isEmpty()).isTrue();
  }

  @Test
  void tracestate_allAllowedValueCharacters_areKept() {
    StringBuilder value = new StringBuilder();
    for (char c = 0x20; c <= 0x7e; c++) {
      if (c != ',' && c != '=') {
        value.append(c);
      }
    }

    assertThat(state("foo=" + value).get("foo")).isEqualTo(value.toString());
  }

  @Test
  void tracestate_valueOf256Characters_isValid() {
    String value = "v".repeat(256);

    assertThat(state("foo=" + value).get("foo")).isEqualTo(value);
  }

  @Test
  void tracestate_valueOf257Characters_isInvalid() {
    assertThat(state("foo=" + "v".repeat(257) + ",bar=1").isEmpty()).isTrue();
  }

  @Test
  void tracestate_leadingSpacesOfAValue_arePreserved() {
    assertThat(state("foo=  1,bar=2").get("foo")).isEqualTo("  1");
    assertThat(state("foo= a b").get("foo")).isEqualTo(" a b");
  }

  @Test
  void tracestate_trailingSpacesOfAValue_areWhitespaceNotValue() {
    assertThat(state("foo=1 ").get("foo")).isEqualTo("1");
    assertThat(state("foo=1 \t ,bar=2").get("foo")).isEqualTo("1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "foo=",
        "foo=,bar=3",
        "foo=bar=baz",
        "foo=   ",
        "foo= \t",
        "foo=a\tb",
        "foo=\t1",
        "foo=a\u0001b",
        "foo=a\u007fb",
        "foo=caf\u00e9",
        "bar=3,foo",
      })
  void tracestate_invalidValue_dropsTheWholeHeader(String header) {
    assertThat(state(header).isEmpty()).isTrue();
  }

  @Test
  void tracestate_invalid_neverInvalidatesTraceparent() {
    SpanContext context = extract("foo=bar=baz");

    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getTraceState()).isSameAs(TraceState.getDefault());
    assertThat(injected(context)).isNull();
  }

  @Test
  void tracestate_duplicateKeys_keepTheHeaderAndOneValuePerKey() {
    TraceState sameValue = state("foo=1,foo=1");
    TraceState twoValues = state("foo=1", "foo=2");

    assertThat(sameValue.asMap()).containsExactly(entry("foo", "1"));
    assertThat(twoValues.asMap()).containsExactly(entry("foo", "1"));
    assertThat(twoValues.size()).isEqualTo(1);
  }

  @Test
  void tracestate_duplicateKeys_areNotRepeatedOnceChanged() {
    TraceState state = state("foo=1,bar=2,foo=3").toBuilder().put("baz", "4").build();

    assertThat(injected(withState(state))).isEqualTo("baz=4,foo=1,bar=2");
  }

  @Test
  void tracestate_passedOnUnchanged_isSentExactlyAsReceived() {
    String header = "foo=1 \t , \t bar=2,,foo=3";

    SpanContext extracted = extract(header);

    assertThat(injected(extracted)).isSameAs(header);
    assertThat(injected(withState(extracted.getTraceState()))).isSameAs(header);
    assertThat(injected(withState(extracted.getTraceState().toBuilder().build()))).isSameAs(header);
  }

  @Test
  void tracestate_passedOnUnchanged_losesOnlyWhitespaceAtTheEnds() {
    assertThat(injected(extract(" \tfoo=1 , bar=2\t "))).isEqualTo("foo=1 , bar=2");
    assertThat(injected(extract(" foo=1", "bar=2 "))).isEqualTo("foo=1,bar=2");
  }

  @Test
  void tracestate_empty_isNotSent() {
    assertThat(injected(extract())).isNull();
    assertThat(injected(extract(""))).isNull();
    assertThat(injected(withState(TraceState.getDefault()))).isNull();
  }

  @Test
  void tracestate_updatedKey_movesToTheFront() {
    TraceState state = state("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");

    TraceState updated = state.toBuilder().put("congo", "ucfJifl5GOE").build();

    assertThat(injected(withState(updated))).isEqualTo("congo=ucfJifl5GOE,rojo=00f067aa0ba902b7");
  }

  @Test
  void tracestate_atLeast512Characters_arePropagated() {
    // Members of 128, 127, 127 and 127 characters and 3 commas: exactly 512.
    String header =
        IntStream.range(0, 4)
            .mapToObj(i -> "k" + i + "=" + "v".repeat(i == 0 ? 125 : 124))
            .collect(Collectors.joining(","));
    assertThat(header).hasSize(512);
    TraceState built = W3CTraceState.builder().build();
    for (int i = 3; i >= 0; i--) {
      built = built.toBuilder().put("k" + i, "v".repeat(i == 0 ? 125 : 124)).build();
    }

    assertThat(injected(extract(header))).isEqualTo(header);
    assertThat(injected(withState(built))).isEqualTo(header);
  }

  @Test
  void tracestate_longerThan512Characters_dropsLongMembersFirstThenFromTheRight() {
    List<String> parts = new ArrayList<>();
    parts.add("a=" + "1".repeat(100)); // 102
    parts.add("long1=" + "2".repeat(200)); // 206, over 128
    parts.add("b=" + "3".repeat(100)); // 102
    parts.add("c=" + "4".repeat(100)); // 102
    parts.add("long2=" + "5".repeat(200)); // 206, over 128
    parts.add("d=" + "6".repeat(100)); // 102
    String header = String.join(",", parts); // 825

    String sent = injected(extract(header));

    // Without long2 (the right-most long member) 618 remain; without long1 too, 411 fit.
    assertThat(sent)
        .isEqualTo(String.join(",", parts.get(0), parts.get(2), parts.get(3), parts.get(5)));
  }

  @Test
  void tracestate_longerThan512WithoutLongMembers_dropsFromTheRight() {
    String header =
        IntStream.range(0, 6)
            .mapToObj(i -> "k" + i + "=" + "v".repeat(100))
            .collect(Collectors.joining(",")); // 6 * 103 + 5 = 623

    String sent = injected(extract(header));

    assertThat(sent)
        .isEqualTo(
            IntStream.range(0, 4)
                .mapToObj(i -> "k" + i + "=" + "v".repeat(100))
                .collect(Collectors.joining(",")));
    assertThat(sent.length()).isLessThanOrEqualTo(512);
  }

  @Test
  void tracestate_stateBuiltWithTheApiBuilder_isSerialized() {
    TraceState foreign = TraceState.builder().put("a", "1").put("b", "2").build();
    List<String> expected = new ArrayList<>();
    foreign.forEach((key, value) -> expected.add(key + "=" + value));

    assertThat(injected(withState(foreign))).isEqualTo(String.join(",", expected));
  }

  @Test
  void tracestate_hugeHeader_isHandledInLinearTime() {
    String commas = ",".repeat(1 << 20);
    String longKey = "a".repeat(1 << 20) + "=1";
    String longValue = "a=" + " ".repeat(1 << 20) + "1";

    assertThat(state(commas + "foo=1" + commas).get("foo")).isEqualTo("1");
    assertThat(state(longKey).isEmpty()).isTrue();
    assertThat(state(longValue).isEmpty()).isTrue();
  }

  static java.util.Map.Entry<String, String> entry(String key, String value) {
    return java.util.Map.entry(key, value);
  }
}
