package dev.skein.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterSettingsTest {

  private static ExporterSettings settings(Map<String, String> values) {
    return new ExporterSettings(values::get);
  }

  @Test
  void theFirstNameSetWins() {
    ExporterSettings settings =
        settings(Map.of("SPECIFIC", "  ", "GENERAL", "general", "OTHER", "other"));
    assertThat(settings.get("SPECIFIC", "GENERAL", "OTHER")).isEqualTo("general");
    assertThat(settings.get("MISSING")).isNull();
  }

  @Test
  void headersArePercentDecodedPairs() {
    ExporterSettings settings =
        settings(Map.of("H", "authorization=Bearer%20abc, x-tenant = a+b ,empty=,,"));
    assertThat(settings.headers("H"))
        .containsExactly(
            Map.entry("authorization", "Bearer abc"),
            Map.entry("x-tenant", "a+b"),
            Map.entry("empty", ""));
    assertThat(settings.headers("UNSET")).isEmpty();
  }

  @Test
  void malformedHeadersNameTheVariable() {
    assertThatThrownBy(() -> settings(Map.of("H", "novalue")).headers("H"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("H: expected key=value");
    assertThatThrownBy(() -> settings(Map.of("H", "k=%zz")).headers("H"))
        .hasMessageStartingWith("H: bad percent-encoding");
  }

  @Test
  void timeoutsAreMilliseconds() {
    ExporterSettings settings = settings(Map.of("T", "2500", "BAD", "10s", "ZERO", "0"));
    assertThat(settings.millis(Duration.ofSeconds(10), "T")).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.millis(Duration.ofSeconds(10), "UNSET")).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> settings.millis(Duration.ZERO, "BAD"))
        .hasMessageStartingWith("BAD: expected a positive number of milliseconds");
    assertThatThrownBy(() -> settings.millis(Duration.ZERO, "ZERO")).hasMessageStartingWith("ZERO");
  }

  @Test
  void compressionAndUrlsAreChecked() {
    ExporterSettings settings =
        settings(Map.of("C", "GZIP", "BADC", "zstd", "U", "https://h:1/x", "BADU", "h:4317"));
    assertThat(settings.compression("none", "C")).isEqualTo("gzip");
    assertThatThrownBy(() -> settings.compression("none", "BADC"))
        .hasMessageStartingWith("BADC: expected gzip or none");
    assertThat(settings.uri(null, "U")).isEqualTo(URI.create("https://h:1/x"));
    assertThatThrownBy(() -> settings.uri(null, "BADU"))
        .hasMessageStartingWith("BADU: not a usable URL");
  }

  @Test
  void missingCertificateFileNamesTheVariable() {
    assertThatThrownBy(
            () -> settings(Map.of("CERT", "/no/such/file.pem")).trustedCertificates("CERT"))
        .hasMessageStartingWith("CERT: cannot read certificates from /no/such/file.pem");
    assertThat(settings(Map.of()).trustedCertificates("CERT")).isNull();
  }
}
