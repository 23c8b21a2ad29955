package dev.skein.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void defaultsAreTheUsualPorts() {
    ServerConfig config = ServerConfig.parse(new String[0], Map.of());
    assertThat(config).isEqualTo(ServerConfig.defaults());
    assertThat(config.otlpGrpcPort()).isEqualTo(4317);
    assertThat(config.otlpHttpPort()).isEqualTo(4318);
    assertThat(config.zipkinPort()).isEqualTo(9411);
    assertThat(config.uiPort()).isEqualTo(16686);
    assertThat(config.storage()).isEqualTo(ServerConfig.Storage.ROCKSDB);
    assertThat(config.retention()).isEqualTo(Duration.ofHours(72));
  }

  @Test
  void flagsWinOverEnvironmentVariablesWhichWinOverDefaults() {
    ServerConfig config =
        ServerConfig.parse(
            new String[] {"--storage", "memory", "--ui-port=0", "--retention", "90m"},
            Map.of(
                "SKEIN_STORAGE", "rocksdb",
                "SKEIN_DATA_DIR", "/var/skein",
                "SKEIN_ZIPKIN_PORT", "19411"));
    assertThat(config.storage()).isEqualTo(ServerConfig.Storage.MEMORY);
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/skein"));
    assertThat(config.zipkinPort()).isEqualTo(19411);
    assertThat(config.uiPort()).isZero();
    assertThat(config.retention()).isEqualTo(Duration.ofMinutes(90));
  }

  @Test
  void badValuesNameTheFlag() {
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--ui-port", "70000"}, Map.of()))
        .hasMessageContaining("--ui-port 70000");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--retention", "3w"}, Map.of()))
        .hasMessageContaining("--retention");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--retention", "-3h"}, Map.of()))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--color", "red"}, Map.of()))
        .hasMessageContaining("unknown flag --color");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--bind"}, Map.of()))
        .hasMessageContaining("--bind needs a value");
    assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("SKEIN_STORAGE", "disk")))
        .hasMessageContaining("--storage disk");
  }

  @Test
  void durationsTakeSecondsMinutesHoursAndDays() {
    assertThat(ServerConfig.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ServerConfig.duration("7d")).isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> ServerConfig.duration("h"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
