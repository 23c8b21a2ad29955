package dev.skein.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads exporter settings the way the OpenTelemetry specification defines them. Each lookup takes
 * names in order of precedence, so a signal-specific variable ({@code
 * OTEL_EXPORTER_OTLP_TRACES_TIMEOUT}) wins over the general one ({@code
 * OTEL_EXPORTER_OTLP_TIMEOUT}). A value that cannot be used is an {@link IllegalArgumentException}
 * naming the variable, never a silent default.
 */
public final class ExporterSettings {

  private final Function<String, String> config;

  /**
   * @param config looks a setting up by its environment variable name; null when unset
   */
  public ExporterSettings(Function<String, String> config) {
    this.config = config;
  }

  /** The first of {@code names} that is set to something not blank, or null. */
  public String get(String... names) {
    String name = firstSet(names);
    return name == null ? null : config.apply(name).strip();
  }

  private String firstSet(String... names) {
    for (String name : names) {
      String value = config.apply(name);
      if (value != null && !value.isBlank()) {
        return name;
      }
    }
    return null;
  }

  /** A URL setting. */
  public URI uri(URI otherwise, String... names) {
    String name = firstSet(names);
    if (name == null) {
      return otherwise;
    }
    String value = config.apply(name).strip();
    try {
      URI uri = new URI(value);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "not an http:// or https:// URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + ": not a usable URL: '" + value + "'", e);
    }
  }

  /** A duration given in milliseconds, as the OTLP timeout variables are. */
  public Duration millis(Duration otherwise, String... names) {
    String name = firstSet(names);
    if (name == null) {
      return otherwise;
    }
    String value = config.apply(name).strip();
    try {
      long millis = Long.parseLong(value);
      if (millis <= 0) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(millis);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + ": expected a positive number of milliseconds, was '" + value + "'");
    }
  }

  /** {@code gzip} or {@code none}. */
  public String compression(String otherwise, String... names) {
    String name = firstSet(names);
    if (name == null) {
      return otherwise;
    }
    String value = config.apply(name).strip().toLowerCase(Locale.ROOT);
    if (!value.equals("gzip") && !value.equals("none")) {
      throw new IllegalArgumentException(name + ": expected gzip or none, was '" + value + "'");
    }
    return value;
  }

  /**
   * Headers written as {@code key1=value1,key2=value2}, values percent-decoded (the W3C baggage
   * format the specification prescribes), such as {@code authorization=Bearer%20abc}.
   */
  public Map<String, String> headers(String... names) {
    Map<String, String> headers = new LinkedHashMap<>();
    String name = firstSet(names);
    if (name == null) {
      return headers;
    }
    for (String member : config.apply(name).split(",")) {
      if (member.isBlank()) {
        continue;
      }
      int equals = member.indexOf('=');
      String key = equals < 0 ? "" : member.substring(0, equals).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(
            name
                + ": expected key=value pairs separated by commas, found '"
                + member.strip()
                + "'");
      }
      try {
        String value = member.substring(equals + 1).strip().replace("+", "%2B");
        headers.put(key, URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            name + ": bad percent-encoding in the value of '" + key + "'", e);
      }
    }
    return headers;
  }

  /**
   * An {@link SSLContext} that trusts the PEM certificates in the file the setting names, or null
   * when unset (then the JDK's default trust applies).
   */
  public SSLContext trustedCertificates(String... names) {
    String name = firstSet(names);
    if (name == null) {
      return null;
    }
    Path file = Path.of(config.apply(name).strip());
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("certificate-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalArgumentException(name + ": no certificate in " + file);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(name + ": cannot read certificates from " + file, e);
    }
  }
}
