package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.benchmarks.load.Settings.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void defaultsAreTheFullRunAndQuickShortensIt() {
    Settings full = Settings.parse(new String[0]);
    assertThat(full.fillSpans()).isEqualTo(10_000_000);
    assertThat(full.measure()).isEqualTo(Duration.ofSeconds(45));
    assertThat(full.protocols()).containsExactly(Protocol.values());
    assertThat(full.serverHome()).isEqualTo(Path.of("."));

    Settings quick = Settings.parse(new String[] {"--quick", "--fill-spans", "2M"});
    assertThat(quick.measure()).isEqualTo(Duration.ofSeconds(10));
    assertThat(quick.queries()).isEqualTo(200);
    assertThat(quick.fillSpans()).isEqualTo(2_000_000);
  }

  @Test
  void optionsAreRead() {
    Settings s =
        Settings.parse(
            new String[] {
              "--server-home",
              "/opt/skein",
              "--protocols",
              "zipkin,otlp-grpc",
              "--no-zipkin",
              "--in-flight",
              "16",
              "--heap",
              "2g",
              "--queries",
              "1k"
            });
    assertThat(s.serverHome()).isEqualTo(Path.of("/opt/skein"));
    assertThat(s.protocols()).containsExactly(Protocol.ZIPKIN, Protocol.OTLP_GRPC);
    assertThat(s.zipkin()).isFalse();
    assertThat(s.inFlight()).isEqualTo(16);
    assertThat(s.heap()).isEqualTo("2g");
    assertThat(s.queries()).isEqualTo(1000);
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> Settings.parse(new String[] {"--in-flight", "0"}))
        .hasMessageContaining("--in-flight 0: must be between 1");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--fill-spans", "lots"}))
        .hasMessageContaining("--fill-spans lots: expected a whole number");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--protocols", "thrift"}))
        .hasMessageContaining("unknown protocol thrift");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--heap", "lots"}))
        .hasMessageContaining("--heap lots");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--measure"}))
        .hasMessageContaining("--measure needs a value");
    assertThatThrownBy(() -> Settings.parse(new String[] {"--bogus"}))
        .hasMessageContaining("unknown option --bogus");
  }
}
