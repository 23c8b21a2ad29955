package dev.skein.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How the server is started: command-line flags, each with a {@code SKEIN_*} environment variable
 * for containers (a flag wins over its variable). Every value is checked at start-up and a bad one
 * is reported with the flag's name.
 */
public record ServerConfig(
    Path dataDir,
    Storage storage,
    String bind,
    int otlpGrpcPort,
    int otlpHttpPort,
    int zipkinPort,
    int uiPort,
    Duration retention) {

  /** Where spans are kept. */
  public enum Storage {
    ROCKSDB,
    MEMORY
  }

  /** The flags, their variables and defaults, as {@code --help} prints them. */
  static final String USAGE =
      """
      usage: skein server [flags]

        flag                  default    environment            what
        --data-dir DIR        ./data     SKEIN_DATA_DIR         ingest log and store
        --storage KIND        rocksdb    SKEIN_STORAGE          rocksdb or memory
        --bind ADDR           127.0.0.1  SKEIN_BIND             address every port listens on
        --otlp-grpc-port N    4317       SKEIN_OTLP_GRPC_PORT   OTLP gRPC receiver
        --otlp-http-port N    4318       SKEIN_OTLP_HTTP_PORT   OTLP HTTP receiver
        --zipkin-port N       9411       SKEIN_ZIPKIN_PORT      Zipkin v2 receiver
        --ui-port N           16686      SKEIN_UI_PORT          query API, UI, /health, /metrics
        --retention DURATION  72h        SKEIN_RETENTION        how long spans are kept (90m, 72h, 7d)

      Port 0 picks a free port. Listening on 127.0.0.1 keeps a fresh install off the network;
      pass --bind 0.0.0.0 in a container.
      """;

  public static ServerConfig defaults() {
    return new ServerConfig(
        Path.of("data"),
        Storage.ROCKSDB,
        "127.0.0.1",
        4317,
        4318,
        9411,
        16686,
        Duration.ofHours(72));
  }

  /**
   * Reads flags over environment variables over defaults.
   *
   * @throws IllegalArgumentException naming the flag or variable that is wrong
   */
  public static ServerConfig parse(String[] args, Map<String, String> environment) {
    Map<String, String> values = new java.util.HashMap<>();
    for (String flag : FLAGS) {
      String variable = "SKEIN_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
      String value = environment.get(variable);
      if (value != null && !value.isEmpty()) {
        values.put(flag, value);
      }
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + arg);
      }
      String flag = arg.substring(2);
      String value;
      int equals = flag.indexOf('=');
      if (equals >= 0) {
        value = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("--" + flag + " needs a value");
      }
      if (!java.util.List.of(FLAGS).contains(flag)) {
        throw new IllegalArgumentException("unknown flag --" + flag);
      }
      values.put(flag, value);
    }
    ServerConfig d = defaults();
    return new ServerConfig(
        get(values, "data-dir", Path::of, d.dataDir()),
        get(values, "storage", ServerConfig::storage, d.storage()),
        get(values, "bind", ServerConfig::address, d.bind()),
        get(values, "otlp-grpc-port", ServerConfig::port, d.otlpGrpcPort()),
        get(values, "otlp-http-port", ServerConfig::port, d.otlpHttpPort()),
        get(values, "zipkin-port", ServerConfig::port, d.zipkinPort()),
        get(values, "ui-port", ServerConfig::port, d.uiPort()),
        get(values, "retention", ServerConfig::duration, d.retention()));
  }

  private static final String[] FLAGS = {
    "data-dir",
    "storage",
    "bind",
    "otlp-grpc-port",
    "otlp-http-port",
    "zipkin-port",
    "ui-port",
    "retention"
  };

  private static <T> T get(
      Map<String, String> values, String flag, Function<String, T> parse, T fallback) {
    String value = values.get(flag);
    if (value == null) {
      return fallback;
    }
    try {
      return parse.apply(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + flag + " " + value + ": " + e.getMessage(), e);
    }
  }

  private static Storage storage(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "rocksdb" -> Storage.ROCKSDB;
      case "memory" -> Storage.MEMORY;
      default -> throw new IllegalArgumentException("expected rocksdb or memory");
    };
  }

  private static String address(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("expected an address");
    }
    return value;
  }

  private static int port(String value) {
    int port;
    try {
      port = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a port number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is between 0 and 65535");
    }
    return port;
  }

  /** {@code 90s}, {@code 30m}, {@code 72h}, {@code 7d}. */
  static Duration duration(String value) {
    if (value.length() < 2) {
      throw new IllegalArgumentException("expected a number and a unit (s, m, h, d), e.g. 72h");
    }
    long amount;
    try {
      amount = Long.parseLong(value.substring(0, value.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number and a unit (s, m, h, d), e.g. 72h");
    }
    if (amount <= 0) {
      throw new IllegalArgumentException("must be positive");
    }
    return switch (value.charAt(value.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("unit must be s, m, h or d");
    };
  }
}
