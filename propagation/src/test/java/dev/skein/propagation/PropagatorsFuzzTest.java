package dev.skein.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Locale;
import java.util.Set;

/**
 * {@link Propagators#fromNames} with any {@code OTEL_PROPAGATORS} value, then the propagator it
 * makes with any headers. The first line of the input is the list of names, the rest the headers as
 * {@link FuzzHeaders} reads them. An unknown name may only fail with an {@link
 * IllegalArgumentException} that names it. Seeds: {@code
 * src/test/resources/dev/skein/propagation/PropagatorsFuzzTestInputs}.
 */
class PropagatorsFuzzTest {

  @FuzzTest(maxDuration = FuzzSettings.MAX_DURATION)
  @DictionaryEntries({
    "tracecontext",
    "baggage",
    "b3",
    "b3multi",
    "jaeger",
    "none",
    ",",
    "traceparent: ",
    "baggage: ",
    "b3: ",
    "uber-trace-id: ",
  })
  void fromNamesThenExtractAndInject(FuzzedDataProvider data) {
    int options = data.consumeByte();
    String input = data.consumeRemainingAsString();
    int newline = input.indexOf('\n');
    String names = newline < 0 ? input : input.substring(0, newline);
    FuzzHeaders in = FuzzHeaders.parse(newline < 0 ? "" : input.substring(newline + 1), options);

    TextMapPropagator propagator;
    try {
      propagator = Propagators.fromNames(names);
    } catch (IllegalArgumentException e) {
      String unknown = firstUnknown(names);
      assertThat(unknown).as("rejected '%s'", names).isNotNull();
      assertThat(e.getMessage()).as("error for '%s'", names).contains("'" + unknown + "'");
      return;
    }
    assertThat(propagator).as("propagator for '%s'", names).isNotNull();
    assertThat(firstUnknown(names)).as("accepted '%s'", names).isNull();
    PropagatorChecks.roundTrip(propagator, in);
  }

  private static final Set<String> KNOWN =
      Set.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "none");

  /** The first name that is not blank and not known, ignoring case and surrounding space. */
  private static String firstUnknown(String names) {
    for (String name : names.split(",")) {
      String trimmed = name.strip();
      if (!trimmed.isEmpty() && !KNOWN.contains(trimmed.toLowerCase(Locale.ROOT))) {
        return trimmed;
      }
    }
    return null;
  }
}
