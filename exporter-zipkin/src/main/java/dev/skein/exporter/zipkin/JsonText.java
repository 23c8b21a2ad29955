package dev.skein.exporter.zipkin;

import io.opentelemetry.api.common.Attributes;
import java.util.List;

/**
 * Builds the small JSON texts that Zipkin carries inside strings: array attributes as tag values
 * and event attributes inside annotation values. Zipkin has no typed values, so the OpenTelemetry
 * mapping spells them as JSON.
 */
final class JsonText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonText() {}

  /** {@code values} as a JSON array, such as {@code ["a","b"]} or {@code [1,2]}. */
  static String array(List<?> values) {
    StringBuilder json = new StringBuilder(values.size() * 8 + 2);
    appendArray(json, values);
    return json.toString();
  }

  /**
   * {@code "name":{"key":value,...}}: the annotation value the OpenTelemetry Zipkin mapping gives
   * an event with attributes.
   */
  static String event(String name, Attributes attributes) {
    StringBuilder json = new StringBuilder(name.length() + attributes.size() * 16 + 8);
    appendString(json, name);
    json.append(":{");
    boolean[] first = {true};
    attributes.forEach(
        (key, value) -> {
          if (!first[0]) {
            json.append(',');
          }
          first[0] = false;
          appendString(json, key.getKey());
          json.append(':');
          appendValue(json, value);
        });
    return json.append('}').toString();
  }

  private static void appendArray(StringBuilder json, List<?> values) {
    json.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      appendValue(json, values.get(i));
    }
    json.append(']');
  }

  private static void appendValue(StringBuilder json, Object value) {
    if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
      json.append(value);
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        appendString(json, d.toString()); // JSON has no NaN or Infinity
      } else {
        json.append(d.doubleValue());
      }
    } else if (value instanceof List<?> list) {
      appendArray(json, list);
    } else {
      appendString(json, String.valueOf(value));
    }
  }

  /** {@code s} quoted, with what JSON requires escaped. */
  static void appendString(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append("\\u")
                .append(HEX[c >>> 12])
                .append(HEX[(c >>> 8) & 0xf])
                .append(HEX[(c >>> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
