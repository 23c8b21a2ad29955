package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code traceparent} rules of W3C Trace Context Level 2, and the propagator's contract. */
class TraceContextPropagatorTest {

  static final String TRACE_ID = "12345678901234567890123456789012";
  static final String SPAN_ID = "1234567890123456";
  static final String VALID = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  final TraceContextPropagator propagator = TraceContextPropagator.getInstance();

  /** Request headers in arrival order, names case-insensitive, repeats kept: like HTTP. */
  static final class Headers {
    final List<String[]> entries = new ArrayList<>();
    final List<String> asked = new ArrayList<>();

    static Headers of(String... namesAndValues) {
      Headers headers = new Headers();
      for (int i = 0; i < namesAndValues.length; i += 2) {
        headers.entries.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
      }
      return headers;
    }

    List<String> all(String name) {
      asked.add(name);
      List<String> values = new ArrayList<>();
      for (String[] entry : entries) {
        if (entry[0].equalsIgnoreCase(name)) {
          values.add(entry[1]);
        }
      }
      return values;
    }

    String get(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? null : values.get(0);
    }

    void set(String name, String value) {
      entries.removeIf(entry -> entry[0].equalsIgnoreCase(name));
      entries.add(new String[] {name, value});
    }

    static final TextMapGetter<Headers> GETTER =
        new TextMapGetter<>() {
          @Override
          public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.get(key);
          }

          @Override
          public Iterator<String> getAll(Headers carrier, String key) {
            return carrier == null ? Collections.emptyIterator() : carrier.all(key).iterator();
          }
        };

    static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> carrier.set(key, value);
  }

  SpanContext extract(Headers headers) {
    return Span.fromContext(propagator.extract(Context.root(), headers, Headers.GETTER))
        .getSpanContext();
  }

  SpanContext extract(String traceparent) {
    return extract(Headers.of("traceparent", traceparent));
  }

  Headers inject(SpanContext spanContext) {
    Headers out = new Headers();
    propagator.inject(Context.root().with(Span.wrap(spanContext)), out, Headers.SETTER);
    return out;
  }

  String injectedTraceparent(SpanContext spanContext) {
    return inject(spanContext).get("traceparent");
  }

  @Test
  void traceparent_version00_isExtractedAsRemoteContextWithLongIds() {
    SpanContext context = extract(VALID);

    assertThat(context.isValid()).isTrue();
    assertThat(context.isRemote()).isTrue();
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.isSampled()).isTrue();
    assertThat(context).isInstanceOf(LongIdSpanContext.class);
    LongIdSpanContext ids = (LongIdSpanContext) context;
    assertThat(ids.traceIdHigh()).isEqualTo(0x1234567890123456L);
    assertThat(ids.traceIdLow()).isEqualTo(0x7890123456789012L);
    assertThat(ids.spanIdAsLong()).isEqualTo(0x1234567890123456L);
  }

  @Test
  void traceparent_receivedAsWrittenOrNot_givesEqualContexts() {
    SpanContext canonical = extract(VALID);
    SpanContext trimmed = extract(" " + VALID);
    SpanContext higherVersion = extract("01" + VALID.substring(2));

    assertThat(canonical).isEqualTo(trimmed).isEqualTo(higherVersion);
    assertThat(trimmed).isEqualTo(canonical);
    assertThat(canonical).hasSameHashCodeAs(trimmed);
    assertThat(canonical.getTraceFlags()).isEqualTo(trimmed.getTraceFlags());
    assertThat(canonical.getSpanId()).isEqualTo(trimmed.getSpanId());
    assertThat(((LongIdSpanContext) canonical).spanIdAsLong())
        .isEqualTo(((LongIdSpanContext) trimmed).spanIdAsLong());
    assertThat(canonical.toString()).contains(TRACE_ID, SPAN_ID);
    assertThat(canonical).isNotEqualTo(extract("00-" + TRACE_ID + "-" + SPAN_ID + "-00"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"00", "01", "02", "03"})
  void traceparent_eachKnownFlagCombination_isReadBack(String flags) {
    SpanContext context = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-" + flags);

    assertThat(context.getTraceFlags().asHex()).isEqualTo(flags);
    assertThat(context.isSampled()).isEqualTo(flags.endsWith("1") || flags.endsWith("3"));
  }

  @Test
  void traceparent_idsWithEveryHexDigit_areReadBackAsLongs() {
    String traceId = "0123456789abcdeffedcba9876543210";
    String spanId = "a0b1c2d3e4f5a6b7";

    LongIdSpanContext context = (LongIdSpanContext) extract("00-" + traceId + "-" + spanId + "-01");

    assertThat(context.traceIdHigh()).isEqualTo(0x0123456789abcdefL);
    assertThat(context.traceIdLow()).isEqualTo(0xfedcba9876543210L);
    assertThat(context.spanIdAsLong()).isEqualTo(0xa0b1c2d3e4f5a6b7L);
    assertThat(context.getTraceId()).isEqualTo(traceId);
    assertThat(context.getSpanId()).isEqualTo(spanId);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-1234567890123456789012345678901A-1234567890123456-01",
        "00-12345678901234567890123456789012-123456789012345A-01",
        "00-12345678901234567890123456789012-1234567890123456-0A",
        "00-ABCDEF78901234567890123456789012-1234567890123456-01",
      })
  void traceparent_withUppercaseHex_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-12345678901234567890123456789012-1234567890123456-01.",
        "00-12345678901234567890123456789012-1234567890123456-01-",
        "00-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
      })
  void traceparent_version00WithTrailingData_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "01-12345678901234567890123456789012-1234567890123456-01-extra",
        "cc-12345678901234567890123456789012-1234567890123456-01-what-the-future-will-be-like",
        "fe-12345678901234567890123456789012-1234567890123456-01-",
      })
  void traceparent_higherVersionWithExtraFields_isParsedAndSentAsVersion00(String header) {
    SpanContext context = extract(header);

    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(injectedTraceparent(context)).isEqualTo(VALID);
  }

  @Test
  void traceparent_higherVersionOfExactly55Characters_isParsed() {
    String header = "cc-" + TRACE_ID + "-" + SPAN_ID + "-01";
    assertThat(header).hasSize(55);

    SpanContext context = extract(header);

    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(injectedTraceparent(context)).isEqualTo(VALID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cc-12345678901234567890123456789012-1234567890123456-1",
        "cc-1234567890123456789012345678901-1234567890123456-01",
        "cc-12345678901234567890123456789012-123456789012345-01",
      })
  void traceparent_higherVersionShorterThan55Characters_isInvalid(String header) {
    assertThat(header.length()).isLessThan(55);
    assertThat(extract(header).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cc-12345678901234567890123456789012-1234567890123456-01.what-the-future-will-be-like",
        "cc-12345678901234567890123456789012-1234567890123456-012",
        "cc-123456789012345678901234567890123-1234567890123456-01",
        "cc-12345678901234567890123456789012-12345678901234567-01",
        "cc-12345678901234567890123456789012.1234567890123456-01-x",
      })
  void traceparent_higherVersionWithoutDashAfterAField_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @Test
  void traceparent_versionFf_isInvalid() {
    assertThat(extract("ff-" + TRACE_ID + "-" + SPAN_ID + "-01").isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ".0-12345678901234567890123456789012-1234567890123456-01",
        "0.-12345678901234567890123456789012-1234567890123456-01",
        "0-12345678901234567890123456789012-1234567890123456-01",
        "000-12345678901234567890123456789012-1234567890123456-01",
        "0000-12345678901234567890123456789012-1234567890123456-01",
        "CC-12345678901234567890123456789012-1234567890123456-01",
        "0g-12345678901234567890123456789012-1234567890123456-01",
      })
  void traceparent_unparseableVersion_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " 00-12345678901234567890123456789012-1234567890123456-01",
        "\t00-12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456-01 ",
        "00-12345678901234567890123456789012-1234567890123456-01\t",
        "\t 00-12345678901234567890123456789012-1234567890123456-01 \t",
      })
  void traceparent_withLeadingOrTrailingSpacesAndTabs_isTrimmed(String header) {
    SpanContext context = extract(header);

    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(injectedTraceparent(context)).isEqualTo(VALID);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\n00-12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456-01\r",
        "00- 2345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456- 1",
      })
  void traceparent_otherWhitespace_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @Test
  void traceparent_allZeroTraceId_isInvalid() {
    assertThat(extract("00-00000000000000000000000000000000-" + SPAN_ID + "-01").isValid())
        .isFalse();
  }

  @Test
  void traceparent_traceIdZeroInOneHalfOnly_isValid() {
    assertThat(extract("00-00000000000000000000000000000001-" + SPAN_ID + "-01").getTraceId())
        .isEqualTo("00000000000000000000000000000001");
    assertThat(extract("00-10000000000000000000000000000000-" + SPAN_ID + "-01").getTraceId())
        .isEqualTo("10000000000000000000000000000000");
  }

  @Test
  void traceparent_allZeroParentId_isInvalid() {
    assertThat(extract("00-" + TRACE_ID + "-0000000000000000-01").isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-123456789012345678901234567890123-1234567890123456-01",
        "00-1234567890123456789012345678901-1234567890123456-01",
        "00-12345678901234567890123456789012-12345678901234567-01",
        "00-12345678901234567890123456789012-123456789012345-01",
        "00-12345678901234567890123456789012-1234567890123456-001",
        "00-12345678901234567890123456789012-1234567890123456-1",
        "00-12345678901234567890123456789012-1234567890123456",
        "00-12345678901234567890123456789012",
        "",
        "00",
      })
  void traceparent_fieldOfWrongLength_isInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-.2345678901234567890123456789012-1234567890123456-01",
        "00-1234567890123456789012345678901.-1234567890123456-01",
        "00-12345678901234567890123456789012-.234567890123456-01",
        "00-12345678901234567890123456789012-123456789012345.-01",
        "00-12345678901234567890123456789012-1234567890123456-.0",
        "00-12345678901234567890123456789012-1234567890123456-0.",
        "00_12345678901234567890123456789012-1234567890123456-01",
        "00-12345678901234567890123456789012_1234567890123456-01",
        "00-12345678901234567890123456789012-1234567890123456_01",
        "00-1234567890123456789012345678901\u00e9-1234567890123456-01",
        "00-1234567890123456789012345678901\u0661-1234567890123456-01",
      })
  void traceparent_illegalCharacters_areInvalid(String header) {
    assertThat(extract(header).isValid()).isFalse();
  }

  @Test
  void traceparent_twoHeaders_restartTheTrace() {
    Headers different =
        Headers.of(
            "traceparent",
            "00-12345678901234567890123456789011-1234567890123456-01",
            "traceparent",
            VALID);
    Headers identical = Headers.of("traceparent", VALID, "TraceParent", VALID);

    assertThat(extract(different).isValid()).isFalse();
    assertThat(extract(identical).isValid()).isFalse();
  }

  @Test
  void traceparent_missingOrInvalid_returnsTheContextUnchanged() {
    ContextKey<String> key = ContextKey.named("k");
    Context parent = Context.root().with(key, "v");

    assertThat(propagator.extract(parent, new Headers(), Headers.GETTER)).isSameAs(parent);
    assertThat(propagator.extract(parent, Headers.of("traceparent", "junk"), Headers.GETTER))
        .isSameAs(parent);
  }

  @Test
  void traceparent_invalid_tracestateIsNotRead() {
    Headers headers =
        Headers.of("traceparent", "ff-" + TRACE_ID + "-" + SPAN_ID + "-01", "tracestate", "a=1");

    extract(headers);

    assertThat(headers.asked).containsExactly("traceparent");
  }

  @Test
  void traceparent_headerNameCase_isTheCarriersConcern() {
    assertThat(extract(Headers.of("TRACEPARENT", VALID)).getTraceId()).isEqualTo(TRACE_ID);
    assertThat(extract(Headers.of("trace-parent", VALID)).isValid()).isFalse();
  }

  @Test
  void flags_sampledBit_isReadAndWritten() {
    SpanContext sampled = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
    SpanContext unsampled = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-00");

    assertThat(sampled.isSampled()).isTrue();
    assertThat(unsampled.isSampled()).isFalse();
    assertThat(injectedTraceparent(sampled)).endsWith("-01");
    assertThat(injectedTraceparent(unsampled)).endsWith("-00");
  }

  @Test
  void flags_randomBit_isKeptWhenItCameIn() {
    SpanContext context = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-02");

    assertThat(context.getTraceFlags().isTraceIdRandom()).isTrue();
    assertThat(context.isSampled()).isFalse();
    assertThat(injectedTraceparent(context)).endsWith("-02");
    assertThat(injectedTraceparent(extract("00-" + TRACE_ID + "-" + SPAN_ID + "-03")))
        .endsWith("-03");
  }

  @Test
  void flags_randomBitOfANewChildContext_isWritten() {
    SpanContext child = new FakeLongIdContext(1, 2, 3, (byte) 0x03, TraceState.getDefault(), false);

    assertThat(injectedTraceparent(child))
        .isEqualTo("00-00000000000000010000000000000002-0000000000000003-03");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff", "fd", "04", "80"})
  void flags_unknownBits_areClearedOnTheWayInAndOut(String flags) {
    SpanContext extracted = extract("00-" + TRACE_ID + "-" + SPAN_ID + "-" + flags);
    int expected = Integer.parseInt(flags, 16) & 0x03;

    assertThat(extracted.getTraceFlags().asByte()).isEqualTo((byte) expected);
    assertThat(injectedTraceparent(extracted)).endsWith("-0" + expected);
    SpanContext foreign =
        SpanContext.create(
            TRACE_ID,
            SPAN_ID,
            TraceFlags.fromByte((byte) Integer.parseInt(flags, 16)),
            TraceState.getDefault());
    assertThat(injectedTraceparent(foreign)).endsWith("-0" + expected);
  }

  @Test
  void inject_invalidOrMissingSpanContext_injectsNothing() {
    Headers fromRoot = new Headers();
    propagator.inject(Context.root(), fromRoot, Headers.SETTER);

    assertThat(fromRoot.entries).isEmpty();
    assertThat(inject(SpanContext.getInvalid()).entries).isEmpty();
  }

  @Test
  void inject_longIdContext_writesHexFromTheLongsWithoutAskingForStrings() {
    // getTraceId() and getSpanId() throw: only the long accessors may be used.
    SpanContext context =
        new FakeLongIdContext(
            0x0af7651916cd43ddL,
            0x8448eb211c80319cL,
            0xb7ad6b7169203331L,
            (byte) 0x01,
            TraceState.getDefault(),
            true);

    assertThat(injectedTraceparent(context))
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  void inject_foreignSpanContext_usesItsHexStrings() {
    SpanContext context =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getDefault(),
            TraceState.getDefault());

    assertThat(injectedTraceparent(context))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  }

  @Test
  void inject_passThrough_sendsTheReceivedHeaderItself() {
    String header = new String(VALID.toCharArray());

    assertThat(injectedTraceparent(extract(header))).isSameAs(header);
  }

  @Test
  void inject_newChildOfAnExtractedContext_keepsTraceIdAndFlagsWithNewParentId() {
    LongIdSpanContext parent = (LongIdSpanContext) extract(VALID);
    SpanContext child =
        new FakeLongIdContext(
            parent.traceIdHigh(),
            parent.traceIdLow(),
            0xabcdefL,
            parent.getTraceFlags().asByte(),
            parent.getTraceState(),
            false);

    assertThat(injectedTraceparent(child)).isEqualTo("00-" + TRACE_ID + "-0000000000abcdef-01");
  }

  @Test
  void extract_spanInTheContext_isNonRecordingWhateverTheHeaderForm() {
    for (String header : List.of(VALID, " " + VALID, "01" + VALID.substring(2))) {
      Span span =
          Span.fromContext(
              propagator.extract(
                  Context.root(), Headers.of("traceparent", header), Headers.GETTER));

      assertThat(span.isRecording()).isFalse();
      assertThat(span.setAttribute("k", "v").updateName("n").getSpanContext().getTraceId())
          .isEqualTo(TRACE_ID);
      span.end();
    }
  }

  @Test
  void extract_getterWithoutGetAll_readsBothHeadersWithGet() {
    Map<String, String> carrier = Map.of("traceparent", VALID, "tracestate", "a=1");
    TextMapGetter<Map<String, String>> lambda = (map, key) -> map.get(key);

    SpanContext context =
        Span.fromContext(propagator.extract(Context.root(), carrier, lambda)).getSpanContext();

    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getTraceState().get("a")).isEqualTo("1");
  }

  @Test
  void extract_nullContext_startsFromRoot() {
    Context context = propagator.extract(null, Headers.of("traceparent", VALID), Headers.GETTER);

    assertThat(Span.fromContext(context).getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_faultyGetterOrCarrier_neverThrows() {
    TextMapGetter<Object> throwing =
        new TextMapGetter<>() {
          @Override
          public String get(Object carrier, String key) {
            throw new IllegalStateException();
          }
        };
    TextMapGetter<Object> nullIterator =
        new TextMapGetter<>() {
          @Override
          public String get(Object carrier, String key) {
            return null;
          }

          @Override
          public Iterator<String> getAll(Object carrier, String key) {
            return null;
          }
        };
    Headers nullValues = Headers.of("traceparent", VALID);
    nullValues.entries.add(new String[] {"traceparent", null});
    nullValues.entries.add(new String[] {"tracestate", null});

    assertThatCode(
            () -> {
              propagator.extract(Context.root(), null, Headers.GETTER);
              propagator.extract(Context.root(), new Object(), null);
              propagator.extract(Context.root(), new Object(), throwing);
              propagator.extract(Context.root(), new Object(), nullIterator);
            })
        .doesNotThrowAnyException();
    assertThat(extract(nullValues).getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void extract_hugeHeaders_areRejectedWithoutThrowing() {
    String huge = "0".repeat(1 << 20);
    String hugeVersion = "cc-" + TRACE_ID + "-" + SPAN_ID + "-01-" + "x".repeat(1 << 20);

    assertThat(extract(huge).isValid()).isFalse();
    assertThat(extract(" ".repeat(1 << 20)).isValid()).isFalse();
    assertThat(extract(hugeVersion).getTraceId()).isEqualTo(TRACE_ID);
  }

  @Test
  void inject_faultySetterOrContext_neverThrows() {
    SpanContext context = extract(VALID);
    TextMapSetter<Object> throwing =
        (carrier, key, value) -> {
          throw new IllegalStateException();
        };
    SpanContext brokenFlags =
        new FakeLongIdContext(1, 2, 3, (byte) 1, TraceState.getDefault(), false) {
          @Override
          public TraceFlags getTraceFlags() {
            return null;
          }
        };

    assertThatCode(
            () -> {
              propagator.inject(null, new Object(), throwing);
              propagator.inject(Context.root().with(Span.wrap(context)), new Object(), null);
              propagator.inject(Context.root().with(Span.wrap(context)), new Object(), throwing);
              inject(brokenFlags);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void fields_areTraceparentAndTracestate() {
    assertThat(propagator.fields()).containsExactly("traceparent", "tracestate");
  }

  @Test
  void roundTrip_throughAPlainJdkMap_keepsTraceIdFlagsAndState() {
    Map<String, String> incoming = new HashMap<>();
    incoming.put("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-03");
    incoming.put("tracestate", "congo=t61rcWkgMzE");
    TextMapGetter<Map<String, String>> getter =
        new TextMapGetter<>() {
          @Override
          public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
          }
        };

    Context extracted = propagator.extract(Context.root(), incoming, getter);
    SpanContext parent = Span.fromContext(extracted).getSpanContext();
    SpanContext child =
        SpanContext.create(
            parent.getTraceId(),
            "00f067aa0ba902b7",
            parent.getTraceFlags(),
            parent.getTraceState().toBuilder().put("rojo", "00f067aa0ba902b7").build());
    Map<String, String> outgoing = new HashMap<>();
    propagator.inject(extracted.with(Span.wrap(child)), outgoing, Map::put);

    assertThat(outgoing)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "traceparent",
                "00-" + TRACE_ID + "-00f067aa0ba902b7-03",
                "tracestate",
                "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  }

  @Test
  void toString_namesThePropagator() {
    assertThat(propagator).hasToString("TraceContextPropagator");
  }

  /** A span context with long ids whose hex accessors may be forbidden. */
  static class FakeLongIdContext implements LongIdSpanContext {
    final long high;
    final long low;
    final long span;
    final byte flags;
    final TraceState state;
    final boolean forbidHex;

    FakeLongIdContext(
        long high, long low, long span, byte flags, TraceState state, boolean forbidHex) {
      this.high = high;
      this.low = low;
      this.span = span;
      this.flags = flags;
      this.state = state;
      this.forbidHex = forbidHex;
    }

    @Override
    public long traceIdHigh() {
      return high;
    }

    @Override
    public long traceIdLow() {
      return low;
    }

    @Override
    public long spanIdAsLong() {
      return span;
    }

    @Override
    public String getTraceId() {
      if (forbidHex) {
        throw new AssertionError("hex trace id asked for");
      }
      return Ids.traceIdHex(high, low);
    }

    @Override
    public String getSpanId() {
      if (forbidHex) {
        throw new AssertionError("hex span id asked for");
      }
      return Ids.spanIdHex(span);
    }

    @Override
    public TraceFlags getTraceFlags() {
      return TraceFlags.fromByte(flags);
    }

    @Override
    public TraceState getTraceState() {
      return state;
    }

    @Override
    public boolean isValid() {
      return (high != 0 || low != 0) && span != 0;
    }

    @Override
    public boolean isRemote() {
      return false;
    }
  }
}
