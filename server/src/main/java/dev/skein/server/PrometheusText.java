package dev.skein.server;

import java.util.HashSet;
import java.util.Set;

/** Writes metrics in the Prometheus text exposition format, 0.0.4. */
final class PrometheusText {
  private final StringBuilder text = new StringBuilder(4096);
  private final Set<String> described = new HashSet<>();

  PrometheusText counter(String name, String help, double value, String... labels) {
    return sample(name, "counter", help, value, labels);
  }

  PrometheusText gauge(String name, String help, double value, String... labels) {
    return sample(name, "gauge", help, value, labels);
  }

  /** {@code labels} are name, value pairs. */
  private PrometheusText sample(
      String name, String type, String help, double value, String... labels) {
    if (described.add(name)) {
      text.append("# HELP ").append(name).append(' ').append(help).append('\n');
      text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
    text.append(name);
    if (labels.length > 0) {
      text.append('{');
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (i > 0) {
          text.append(',');
        }
        text.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
      }
      text.append('}');
    }
    text.append(' ');
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      text.append((long) value);
    } else {
      text.append(value);
    }
    text.append('\n');
    return this;
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
