package dev.skein.sdk.export;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Iterator;
import java.util.List;

/** Writes one span as a line of text or of JSON into a {@link StringBuilder}. */
final class LoggingSpanFormatter {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LoggingSpanFormatter() {}

  /**
   * One readable line, without the line break: name, ids, kind, duration, status, scope, attributes
   * and events. Strings are quoted and escaped as in JSON so a line stays one line.
   */
  static void appendText(StringBuilder out, SpanData span) {
    appendJsonString(out, span.name());
    out.append(" trace=");
    appendHex(out, span.traceIdHigh());
    appendHex(out, span.traceIdLow());
    out.append(" span=");
    appendHex(out, span.spanId());
    out.append(" parent=");
    if (span.parentSpanId() == 0) {
      out.append('-');
    } else {
      appendHex(out, span.parentSpanId());
      if (span.hasRemoteParent()) {
        out.append("(remote)");
      }
    }
    out.append(" kind=").append(span.kind());
    out.append(" duration=");
    appendMillis(out, span.endEpochNanos() - span.startEpochNanos());
    out.append(" status=").append(span.statusCode());
    if (!span.statusDescription().isEmpty()) {
      out.append('(');
      appendJsonString(out, span.statusDescription());
      out.append(')');
    }
    InstrumentationScope scope = span.scope();
    out.append(" scope=");
    appendEscaped(out, scope.name());
    if (!scope.version().isEmpty()) {
      out.append(':');
      appendEscaped(out, scope.version());
    }
    out.append(" attributes={");
    for (int i = 0; i < span.attributeCount(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      appendEscaped(out, span.attributeKey(i));
      out.append('=');
      appendValue(out, span.attributeValue(i));
    }
    out.append("} events=[");
    boolean first = true;
    for (SpanEvent event : span.events()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      appendEscaped(out, event.name());
      out.append('@');
      long offset = event.epochNanos() - span.startEpochNanos();
      out.append(offset < 0 ? '-' : '+');
      appendMillis(out, Math.abs(offset));
      if (!event.attributes().isEmpty()) {
        out.append('{');
        appendTextAttributes(out, event.attributes());
        out.append('}');
      }
    }
    out.append(']');
  }

  /** One JSON object, without the line break. */
  static void appendJson(StringBuilder out, SpanData span) {
    out.append("{\"traceId\":\"");
    appendHex(out, span.traceIdHigh());
    appendHex(out, span.traceIdLow());
    out.append("\",\"spanId\":\"");
    appendHex(out, span.spanId());
    // An empty parent id marks a root, as in OTLP JSON.
    out.append("\",\"parentSpanId\":\"");
    if (span.parentSpanId() != 0) {
      appendHex(out, span.parentSpanId());
    }
    out.append("\",\"name\":");
    appendJsonString(out, span.name());
    out.append(",\"kind\":\"").append(span.kind());
    out.append("\",\"startEpochNanos\":").append(span.startEpochNanos());
    out.append(",\"endEpochNanos\":").append(span.endEpochNanos());
    out.append(",\"durationNanos\":").append(span.endEpochNanos() - span.startEpochNanos());
    out.append(",\"status\":{\"code\":\"").append(span.statusCode());
    out.append("\",\"description\":");
    appendJsonString(out, span.statusDescription());
    out.append("},\"scope\":{\"name\":");
    appendJsonString(out, span.scope().name());
    out.append(",\"version\":");
    appendJsonString(out, span.scope().version());
    out.append("},\"resource\":");
    appendJsonAttributes(out, span.resource());
    out.append(",\"attributes\":{");
    for (int i = 0; i < span.attributeCount(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendJsonString(out, span.attributeKey(i));
      out.append(':');
      appendJsonValue(out, span.attributeValue(i));
    }
    out.append("},\"events\":[");
    boolean first = true;
    for (SpanEvent event : span.events()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"name\":");
      appendJsonString(out, event.name());
      out.append(",\"epochNanos\":").append(event.epochNanos());
      out.append(",\"attributes\":");
      appendJsonAttributes(out, event.attributes());
      out.append('}');
    }
    out.append("],\"links\":[");
    first = true;
    for (SpanLink link : span.links()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      SpanContext context = link.context();
      out.append("{\"traceId\":");
      appendJsonString(out, context.getTraceId());
      out.append(",\"spanId\":");
      appendJsonString(out, context.getSpanId());
      out.append(",\"attributes\":");
      appendJsonAttributes(out, link.attributes());
      out.append('}');
    }
    out.append("],\"droppedAttributesCount\":").append(span.droppedAttributeCount());
    out.append(",\"droppedEventsCount\":").append(span.droppedEventCount());
    out.append(",\"droppedLinksCount\":").append(span.droppedLinkCount());
    out.append('}');
  }

  private static void appendTextAttributes(StringBuilder out, Attributes attributes) {
    boolean[] first = {true};
    attributes.forEach(
        (key, value) -> {
          if (!first[0]) {
            out.append(", ");
          }
          first[0] = false;
          appendEscaped(out, key.getKey());
          out.append('=');
          appendValue(out, value);
        });
  }

  private static void appendJsonAttributes(StringBuilder out, Attributes attributes) {
    out.append('{');
    boolean[] first = {true};
    attributes.forEach(
        (key, value) -> {
          if (!first[0]) {
            out.append(',');
          }
          first[0] = false;
          appendJsonString(out, key.getKey());
          out.append(':');
          appendJsonValue(out, value);
        });
    out.append('}');
  }

  /** A value for the text line: strings quoted, numbers and booleans bare, arrays bracketed. */
  private static void appendValue(StringBuilder out, Object value) {
    if (value instanceof List<?> list) {
      out.append('[');
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        appendValue(out, it.next());
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append(']');
    } else if (value instanceof String string) {
      appendJsonString(out, string);
    } else {
      out.append(value);
    }
  }

  /**
   * A typed JSON value: strings as strings, integers and finite doubles as numbers, booleans as
   * literals, arrays as arrays. NaN and the infinities, which JSON cannot write as numbers, become
   * the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
   */
  static void appendJsonValue(StringBuilder out, Object value) {
    if (value instanceof List<?> list) {
      out.append('[');
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        appendJsonValue(out, it.next());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        out.append(d);
      } else {
        out.append('"').append(d).append('"');
      }
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value == null) {
      out.append("null");
    } else {
      appendJsonString(out, value.toString());
    }
  }

  /** {@code s} as a quoted JSON string. */
  static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    appendEscaped(out, s);
    out.append('"');
  }

  /**
   * {@code s} escaped for the inside of a JSON string: quote and backslash by a backslash; control
   * characters, the two Unicode line separators (which some line readers split on) and unpaired
   * surrogates (which no encoder can write) as {@code \}{@code uXXXX}.
   */
  static void appendEscaped(StringBuilder out, String s) {
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        appendUnicodeEscape(out, c);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
        } else {
          appendUnicodeEscape(out, c);
        }
      } else if (Character.isLowSurrogate(c)) {
        appendUnicodeEscape(out, c);
      } else {
        out.append(c);
      }
    }
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }

  /** 16 lowercase hex digits. */
  static void appendHex(StringBuilder out, long value) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      out.append(HEX[(int) (value >>> shift) & 0xF]);
    }
  }

  /** Nanoseconds as milliseconds with three decimals, such as {@code 1.500ms}. */
  static void appendMillis(StringBuilder out, long nanos) {
    if (nanos < 0) {
      out.append('-');
      nanos = -nanos; // Long.MIN_VALUE stays negative; no span lasts 292 years
    }
    long micros = Math.abs(nanos / 1000);
    out.append(micros / 1000).append('.');
    long fraction = micros % 1000;
    if (fraction < 100) {
      out.append('0');
    }
    if (fraction < 10) {
      out.append('0');
    }
    out.append(fraction).append("ms");
  }
}
