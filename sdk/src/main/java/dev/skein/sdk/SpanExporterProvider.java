package dev.skein.sdk;

import java.util.function.Function;

/**
 * Makes a {@link SpanExporter} chosen by name in {@code OTEL_TRACES_EXPORTER}. Exporter modules
 * register an implementation with {@link java.util.ServiceLoader}, so adding the module to the
 * classpath is all it takes for {@link SkeinSdk#fromEnvironment()} to find it.
 */
public interface SpanExporterProvider {

  /** The name users put in {@code OTEL_TRACES_EXPORTER}, such as {@code otlp}. */
  String name();

  /**
   * @param config looks up a setting by its environment variable name (such as {@code
   *     OTEL_EXPORTER_OTLP_ENDPOINT}); the matching system property wins over the variable. Returns
   *     null when unset.
   */
  SpanExporter create(Function<String, String> config);
}
