package dev.skein.storage;

import java.util.List;
import java.util.Objects;

/**
 * One key and value of a span, resource, event or link. The value is a {@link String}, {@link
 * Boolean}, {@link Long}, {@link Double}, or a {@link List} of those (an OpenTelemetry array).
 * Bytes values arrive as base64 strings.
 */
public record Attribute(String key, Object value) {

  public Attribute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!isSupported(value)) {
      throw new IllegalArgumentException(
          "attribute " + key + " has an unsupported value type " + value.getClass().getName());
    }
  }

  public static Attribute of(String key, String value) {
    return new Attribute(key, value);
  }

  public static Attribute of(String key, long value) {
    return new Attribute(key, value);
  }

  public static Attribute of(String key, boolean value) {
    return new Attribute(key, value);
  }

  public static Attribute of(String key, double value) {
    return new Attribute(key, value);
  }

  /** The value as text: what tag search compares and what Jaeger and Zipkin show. */
  public String valueAsString() {
    return asString(value);
  }

  private static String asString(Object value) {
    if (value instanceof List<?> list) {
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          text.append(',');
        }
        Object element = list.get(i);
        if (element instanceof String s) {
          text.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else {
          text.append(asString(element));
        }
      }
      return text.append(']').toString();
    }
    return String.valueOf(value);
  }

  private static boolean isSupported(Object value) {
    if (value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double) {
      return true;
    }
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (element == null || element instanceof List || !isSupported(element)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
