package dev.skein.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

  private final Map<String, String> env = new HashMap<>(Map.of("OTEL_TRACES_EXPORTER", "none"));

  private SkeinSdk build() {
    return new EnvironmentConfig(env::get).toBuilder().build();
  }

  @Test
  void serviceNameAndResourceAttributes_becomeTheResource() {
    env.put("OTEL_SERVICE_NAME", "payments");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod, team=a%2Cb,service.name=x");

    try (SkeinSdk sdk = build()) {
      assertThat(sdk.resource().get(AttributeKey.stringKey("service.name"))).isEqualTo("payments");
      assertThat(sdk.resource().get(AttributeKey.stringKey("deployment.environment")))
          .isEqualTo("prod");
      assertThat(sdk.resource().get(AttributeKey.stringKey("team"))).isEqualTo("a,b");
    }
  }

  @Test
  void serviceName_defaultsToTheOpenTelemetryPlaceholder() {
    try (SkeinSdk sdk = build()) {
      assertThat(sdk.resource().get(AttributeKey.stringKey("service.name")))
          .isEqualTo("unknown_service:java");
    }
  }

  @Test
  void sampler_isChosenByName() {
    env.put("OTEL_TRACES_SAMPLER", "always_off");
    try (SkeinSdk sdk = build()) {
      Span span = sdk.getTracer("t").spanBuilder("op").startSpan();
      assertThat(span.isRecording()).isFalse();
    }
    env.put("OTEL_TRACES_SAMPLER", "traceidratio");
    env.put("OTEL_TRACES_SAMPLER_ARG", "1.0");
    try (SkeinSdk sdk = build()) {
      assertThat(sdk.toString()).contains("TraceIdRatioBased");
    }
  }

  @Test
  void sdkDisabled_recordsNothing() {
    env.put("OTEL_SDK_DISABLED", "true");
    try (SkeinSdk sdk = build()) {
      assertThat(sdk.getTracer("t").spanBuilder("op").startSpan().isRecording()).isFalse();
    }
  }

  @Test
  void spanLimits_comeFromTheStandardVariables() {
    env.put("OTEL_ATTRIBUTE_COUNT_LIMIT", "5");
    env.put("OTEL_SPAN_EVENT_COUNT_LIMIT", "7");
    env.put("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "64");
    SpanLimits limits = new EnvironmentConfig(env::get).toBuilder().build().shared().limits;

    assertThat(limits.maxAttributes()).isEqualTo(5);
    assertThat(limits.maxAttributesPerEvent()).isEqualTo(5);
    assertThat(limits.maxEvents()).isEqualTo(7);
    assertThat(limits.maxAttributeValueLength()).isEqualTo(64);
  }

  @Test
  void badValues_failNamingTheSetting() {
    env.put("OTEL_SPAN_LINK_COUNT_LIMIT", "many");
    assertThatThrownBy(this::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_SPAN_LINK_COUNT_LIMIT")
        .hasMessageContaining("many");

    env.remove("OTEL_SPAN_LINK_COUNT_LIMIT");
    env.put("OTEL_TRACES_EXPORTER", "carrier-pigeon");
    assertThatThrownBy(this::build).hasMessageContaining("OTEL_TRACES_EXPORTER");

    env.put("OTEL_TRACES_EXPORTER", "none");
    env.put("OTEL_TRACES_SAMPLER", "sometimes");
    assertThatThrownBy(this::build).hasMessageContaining("OTEL_TRACES_SAMPLER");

    env.remove("OTEL_TRACES_SAMPLER");
    env.put("OTEL_RESOURCE_ATTRIBUTES", "novalue");
    assertThatThrownBy(this::build).hasMessageContaining("OTEL_RESOURCE_ATTRIBUTES");

    env.remove("OTEL_RESOURCE_ATTRIBUTES");
    env.put("OTEL_BSP_MAX_QUEUE_SIZE", "10");
    env.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "20");
    env.put("OTEL_TRACES_EXPORTER", "logging");
    // Logging exporters print span by span, so batch settings do not apply to them.
    build().close();
  }

  @Test
  void loggingExporter_isInstalledByName() {
    env.put("OTEL_TRACES_EXPORTER", "logging");
    try (SkeinSdk sdk = build()) {
      assertThat(sdk.shared().processors).hasSize(1);
    }
  }

  @Test
  void systemProperties_winOverEnvironmentVariables() {
    String key = "otel.service.name";
    String previous = System.getProperty(key);
    System.setProperty(key, "from-property");
    try {
      assertThat(EnvironmentConfig.fromSystem().get("OTEL_SERVICE_NAME"))
          .isEqualTo("from-property");
    } finally {
      if (previous == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, previous);
      }
    }
  }
}
