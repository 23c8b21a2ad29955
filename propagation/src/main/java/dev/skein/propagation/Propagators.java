package dev.skein.propagation;

import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Propagators by their {@code OTEL_PROPAGATORS} names. */
public final class Propagators {

  private static final String KNOWN = "tracecontext, baggage, b3, b3multi, jaeger, none";

  private Propagators() {}

  /**
   * The propagator for a comma-separated list of names, as in {@code OTEL_PROPAGATORS}: {@code
   * tracecontext}, {@code baggage}, {@code b3} (single header), {@code b3multi}, {@code jaeger},
   * {@code none}. Several names make a composite that extracts and injects in the given order; a
   * repeated name counts once. Case and blank entries are ignored; {@code none} adds nothing, so
   * {@code none} alone, or no names at all, is a propagator that does nothing.
   *
   * @throws IllegalArgumentException for an unknown name, saying which
   */
  public static TextMapPropagator fromNames(String commaSeparated) {
    var propagators = new ArrayList<TextMapPropagator>();
    Set<String> seen = new HashSet<>();
    String[] names = commaSeparated == null ? new String[0] : commaSeparated.split(",");
    for (String entry : names) {
      String name = entry.strip();
      if (name.isEmpty() || !seen.add(name.toLowerCase(Locale.ROOT))) {
        continue;
      }
      switch (name.toLowerCase(Locale.ROOT)) {
        case "tracecontext" -> propagators.add(TraceContextPropagator.getInstance());
        case "baggage" -> propagators.add(BaggagePropagator.getInstance());
        case "b3" -> propagators.add(B3Propagator.injectingSingleHeader());
        case "b3multi" -> propagators.add(B3Propagator.injectingMultiHeaders());
        case "jaeger" -> propagators.add(JaegerPropagator.getInstance());
        case "none" -> {}
        default ->
            throw new IllegalArgumentException(
                "OTEL_PROPAGATORS: unknown propagator '" + name + "' (known: " + KNOWN + ")");
      }
    }
    // composite() returns the propagator itself for one, and a no-op for none.
    return TextMapPropagator.composite(propagators);
  }
}
