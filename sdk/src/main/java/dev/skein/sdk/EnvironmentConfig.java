package dev.skein.sdk;

import dev.skein.propagation.Propagators;
import dev.skein.sdk.export.BatchSpanProcessor;
import dev.skein.sdk.export.LoggingSpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import dev.skein.sdk.sampling.Samplers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Reads the standard {@code OTEL_*} settings into a {@link SkeinSdkBuilder}. Each setting is looked
 * up as a system property first ({@code otel.traces.sampler}), then as an environment variable
 * ({@code OTEL_TRACES_SAMPLER}).
 */
final class EnvironmentConfig {

  private static final Logger logger = Logger.getLogger(EnvironmentConfig.class.getName());

  private final Function<String, String> lookup;

  /**
   * @param lookup resolves an environment variable name to its value, or null
   */
  EnvironmentConfig(Function<String, String> lookup) {
    this.lookup = lookup;
  }

  static EnvironmentConfig fromSystem() {
    return new EnvironmentConfig(
        name -> {
          String property = System.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'));
          return property != null ? property : System.getenv(name);
        });
  }

  String get(String name) {
    String value = lookup.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  SkeinSdkBuilder toBuilder() {
    SkeinSdkBuilder builder = SkeinSdk.builder();
    if (Boolean.parseBoolean(get("OTEL_SDK_DISABLED"))) {
      return builder.setSampler(Samplers.alwaysOff());
    }
    builder.putResourceAttributes(resourceAttributes());
    String serviceName = get("OTEL_SERVICE_NAME");
    if (serviceName != null) {
      builder.setServiceName(serviceName);
    }
    String sampler = get("OTEL_TRACES_SAMPLER");
    builder.setSampler(
        Samplers.fromConfig(
            sampler == null ? "parentbased_always_on" : sampler, get("OTEL_TRACES_SAMPLER_ARG")));
    builder.setSpanLimits(spanLimits());
    builder.setPropagators(propagators());
    for (SpanProcessor processor : processors()) {
      builder.addSpanProcessor(processor);
    }
    return builder;
  }

  private Attributes resourceAttributes() {
    AttributesBuilder attributes = Attributes.builder();
    String raw = get("OTEL_RESOURCE_ATTRIBUTES");
    if (raw == null) {
      return attributes.build();
    }
    for (String pair : raw.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "OTEL_RESOURCE_ATTRIBUTES: expected key=value, got '" + pair.trim() + "'");
      }
      attributes.put(decode(pair.substring(0, eq).trim()), decode(pair.substring(eq + 1).trim()));
    }
    return attributes.build();
  }

  private static String decode(String value) {
    try {
      // The spec percent-encodes values; '+' is a literal plus, not a space.
      return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "OTEL_RESOURCE_ATTRIBUTES: bad percent-encoding in '" + value + "'", e);
    }
  }

  private SpanLimits spanLimits() {
    int attributeCount = intSetting("OTEL_ATTRIBUTE_COUNT_LIMIT", 128);
    int valueLength = intSetting("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", Integer.MAX_VALUE);
    return new SpanLimits(
        intSetting("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", attributeCount),
        intSetting("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", valueLength),
        intSetting("OTEL_SPAN_EVENT_COUNT_LIMIT", 128),
        intSetting("OTEL_SPAN_LINK_COUNT_LIMIT", 128),
        intSetting("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", attributeCount),
        intSetting("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", attributeCount));
  }

  private ContextPropagators propagators() {
    String names = get("OTEL_PROPAGATORS");
    return ContextPropagators.create(
        Propagators.fromNames(names == null ? "tracecontext,baggage" : names));
  }

  private List<SpanProcessor> processors() {
    String configured = get("OTEL_TRACES_EXPORTER");
    List<SpanProcessor> processors = new ArrayList<>();
    for (String name : list("OTEL_TRACES_EXPORTER", "otlp")) {
      switch (name) {
        case "none" -> {}
        // Logging exporters print each span as it ends, as the OpenTelemetry SDK does.
        case "logging", "console" ->
            processors.add(SimpleSpanProcessor.create(LoggingSpanExporter.text()));
        case "logging-json" ->
            processors.add(SimpleSpanProcessor.create(LoggingSpanExporter.jsonLines()));
        default -> {
          SpanExporter exporter = loadExporter(name);
          if (exporter != null) {
            processors.add(batchProcessor(exporter));
          } else if (configured == null) {
            logger.warning(
                "no exporter named 'otlp' on the classpath; spans are not exported."
                    + " Set OTEL_TRACES_EXPORTER to choose one.");
          } else {
            throw new IllegalArgumentException(
                "OTEL_TRACES_EXPORTER: no exporter named '"
                    + name
                    + "' (built in: logging, logging-json, none; others come from exporter"
                    + " modules on the classpath)");
          }
        }
      }
    }
    return processors;
  }

  private SpanExporter loadExporter(String name) {
    for (SpanExporterProvider provider : ServiceLoader.load(SpanExporterProvider.class)) {
      if (provider.name().equals(name)) {
        return provider.create(this::get);
      }
    }
    return null;
  }

  private SpanProcessor batchProcessor(SpanExporter exporter) {
    BatchSpanProcessor.Builder batch = BatchSpanProcessor.builder(exporter);
    String delay = get("OTEL_BSP_SCHEDULE_DELAY");
    if (delay != null) {
      batch.setScheduleDelay(Duration.ofMillis(intSetting("OTEL_BSP_SCHEDULE_DELAY", 0)));
    }
    String timeout = get("OTEL_BSP_EXPORT_TIMEOUT");
    if (timeout != null) {
      batch.setExporterTimeout(Duration.ofMillis(intSetting("OTEL_BSP_EXPORT_TIMEOUT", 0)));
    }
    if (get("OTEL_BSP_MAX_QUEUE_SIZE") != null) {
      batch.setMaxQueueSize(intSetting("OTEL_BSP_MAX_QUEUE_SIZE", 0));
    }
    if (get("OTEL_BSP_MAX_EXPORT_BATCH_SIZE") != null) {
      batch.setMaxExportBatchSize(intSetting("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 0));
    }
    try {
      return batch.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("OTEL_BSP_*: " + e.getMessage(), e);
    }
  }

  private Set<String> list(String name, String defaultValue) {
    String raw = get(name);
    Set<String> values = new LinkedHashSet<>();
    for (String value : (raw == null ? defaultValue : raw).split(",")) {
      if (!value.isBlank()) {
        values.add(value.trim().toLowerCase(Locale.ROOT));
      }
    }
    return values;
  }

  int intSetting(String name, int defaultValue) {
    String raw = get(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + ": expected a non-negative integer, got '" + raw + "'", e);
    }
  }
}
