package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parsers for query parameters. Each takes the parameter's name so that its error names it, and
 * accepts only ASCII digits and hex (the JDK's number parsers also take other scripts' digits).
 */
final class Params {
  private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final int MAX_DURATION_LENGTH = 100;
  private static final Pattern AND = Pattern.compile("\\s+and\\s+");

  private Params() {}

  /** The parameter value for messages: short, so a huge value is not echoed back whole. */
  static String quote(String value) {
    return "'" + brief(value, 64) + "'";
  }

  /** At most {@code max} characters of {@code text}, control characters shown as '?'. */
  static String brief(String text, int max) {
    String cut = text.length() <= max ? text : text.substring(0, max) + "...";
    StringBuilder clean = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      clean.append(Character.isISOControl(c) ? '?' : c);
    }
    return clean.toString();
  }

  /** A decimal integer of ASCII digits with an optional leading minus. */
  static long parseLong(String parameter, String text) {
    int start = text.startsWith("-") ? 1 : 0;
    if (text.length() == start || text.length() > 20) {
      throw new BadParameterException(parameter, quote(text) + " is not an integer");
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new BadParameterException(parameter, quote(text) + " is not an integer");
      }
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadParameterException(parameter, quote(text) + " is out of range");
    }
  }

  /** A decimal integer that must not be negative. */
  static long parseNonNegativeLong(String parameter, String text) {
    long value = parseLong(parameter, text);
    if (value < 0) {
      throw new BadParameterException(parameter, quote(text) + " must not be negative");
    }
    return value;
  }

  /** {@code value * factor}, or a 400 naming the parameter if that leaves the range of a long. */
  static long scale(String parameter, long value, long factor) {
    try {
      return Math.multiplyExact(value, factor);
    } catch (ArithmeticException e) {
      throw new BadParameterException(parameter, value + " is out of range");
    }
  }

  /**
   * A duration in nanoseconds, written as Go writes them ({@code 1.2s}, {@code 100ms}, {@code
   * 1h30m}, {@code 500us}, {@code 0}) plus {@code d} and {@code w} for the lookbacks a UI offers.
   * Units: ns, us (µs), ms, s, m, h, d, w. Negative durations are refused.
   */
  static long parseDuration(String parameter, String text) {
    if (text.equals("0") || text.equals("+0")) {
      return 0;
    }
    if (text.isEmpty() || text.length() > MAX_DURATION_LENGTH) {
      throw badDuration(parameter, text, "");
    }
    int i = 0;
    if (text.charAt(0) == '-') {
      throw new BadParameterException(parameter, quote(text) + " must not be negative");
    }
    if (text.charAt(0) == '+') {
      i++;
    }
    if (i == text.length()) {
      throw badDuration(parameter, text, "");
    }
    BigDecimal total = BigDecimal.ZERO;
    while (i < text.length()) {
      int numberStart = i;
      int digits = 0;
      while (i < text.length() && isDigit(text.charAt(i))) {
        i++;
        digits++;
      }
      if (i < text.length() && text.charAt(i) == '.') {
        i++;
        while (i < text.length() && isDigit(text.charAt(i))) {
          i++;
          digits++;
        }
      }
      if (digits == 0) {
        throw badDuration(parameter, text, "");
      }
      String number = text.substring(numberStart, i);
      int unitStart = i;
      while (i < text.length() && !isDigit(text.charAt(i)) && text.charAt(i) != '.') {
        i++;
      }
      if (unitStart == i) {
        throw badDuration(parameter, text, ": missing unit");
      }
      long unit = unitNanos(text.substring(unitStart, i));
      if (unit == 0) {
        throw badDuration(parameter, text, ": unknown unit " + quote(text.substring(unitStart, i)));
      }
      if (number.endsWith(".")) {
        number = number + "0";
      }
      if (number.startsWith(".")) {
        number = "0" + number;
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
      if (total.compareTo(MAX_LONG) > 0) {
        throw new BadParameterException(parameter, quote(text) + " is out of range");
      }
    }
    return total.longValue();
  }

  private static BadParameterException badDuration(String parameter, String text, String detail) {
    return new BadParameterException(
        parameter,
        quote(text) + " is not a duration" + detail + " (examples: 1.2s, 100ms, 500us, 1m, 1h)");
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s", "\u03bcs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      case "d" -> 86_400_000_000_000L;
      case "w" -> 604_800_000_000_000L;
      default -> 0L;
    };
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A trace id of 1 to 32 ASCII hex characters, left-padded with zeros (Jaeger prints ids without
   * leading zeros; Zipkin's are 16 or 32 long). The all-zero id is refused.
   */
  static TraceId parseTraceId(String parameter, String text) {
    if (text.isEmpty() || text.length() > 32) {
      throw new BadParameterException(
          parameter, quote(text) + " is not a trace id (16 or 32 hex characters)");
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < text.length(); i++) {
      int digit = hexDigit(text.charAt(i));
      if (digit < 0) {
        throw new BadParameterException(
            parameter, quote(text) + " is not a trace id (16 or 32 hex characters)");
      }
      high = (high << 4) | (low >>> 60);
      low = (low << 4) | digit;
    }
    if (high == 0 && low == 0) {
      throw new BadParameterException(parameter, "trace id must not be all zeros");
    }
    return new TraceId(high, low);
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * Jaeger's {@code tags} parameter: a JSON object of keys to values, added to {@code into} (a
   * later key wins). String values are taken as they are; numbers and booleans by their text.
   */
  static void parseTagsJson(String parameter, String json, Map<String, String> into) {
    Map<String, String> found = new LinkedHashMap<>();
    try (JsonParser parser = Json.FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BadParameterException(
            parameter, "expected a JSON object like {\"http.status_code\":\"500\"}");
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        JsonToken valueToken = parser.nextToken();
        String value =
            switch (valueToken) {
              case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
              case VALUE_TRUE -> "true";
              case VALUE_FALSE -> "false";
              default ->
                  throw new BadParameterException(
                      parameter,
                      "the value of " + quote(key) + " must be a string, number or boolean");
            };
        found.put(key, value);
      }
      if (token != JsonToken.END_OBJECT) {
        throw new BadParameterException(parameter, "malformed JSON object");
      }
      if (parser.nextToken() != null) {
        throw new BadParameterException(parameter, "unexpected text after the JSON object");
      }
    } catch (JsonProcessingException e) {
      throw new BadParameterException(
          parameter, "malformed JSON: " + brief(e.getOriginalMessage(), 200));
    } catch (IOException e) {
      throw new BadParameterException(parameter, "malformed JSON: " + brief(e.getMessage(), 200));
    }
    into.putAll(found);
  }

  /** Jaeger's repeated {@code tag=key:value} parameter (the value may contain colons). */
  static void parseTagPair(String parameter, String text, Map<String, String> into) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new BadParameterException(parameter, "expected key:value, got " + quote(text));
    }
    if (colon == 0) {
      throw new BadParameterException(parameter, "empty key in " + quote(text));
    }
    into.put(text.substring(0, colon), text.substring(colon + 1));
  }

  /** Zipkin's annotationQuery: {@code key=value} terms and bare words, joined by {@code and}. */
  record AnnotationQuery(Map<String, String> tags, Set<String> words) {
    boolean isEmpty() {
      return tags.isEmpty() && words.isEmpty();
    }
  }

  static AnnotationQuery parseAnnotationQuery(String parameter, String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    Set<String> words = new LinkedHashSet<>();
    for (String rawTerm : AND.split(text.strip(), -1)) {
      String term = rawTerm.strip();
      if (term.isEmpty()) {
        continue;
      }
      int equals = term.indexOf('=');
      if (equals < 0) {
        words.add(term);
        continue;
      }
      String key = term.substring(0, equals).strip();
      if (key.isEmpty()) {
        throw new BadParameterException(parameter, "empty key in " + quote(term));
      }
      tags.put(key, term.substring(equals + 1));
    }
    return new AnnotationQuery(tags, words);
  }

  /** Jaeger's span kind names; null (every kind) for an empty value. */
  static Span.Kind parseSpanKind(String parameter, String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "" -> null;
      case "server" -> Span.Kind.SERVER;
      case "client" -> Span.Kind.CLIENT;
      case "producer" -> Span.Kind.PRODUCER;
      case "consumer" -> Span.Kind.CONSUMER;
      case "internal" -> Span.Kind.INTERNAL;
      case "unspecified" -> Span.Kind.UNSPECIFIED;
      default ->
          throw new BadParameterException(
              parameter,
              quote(text) + " is not a span kind (server, client, producer, consumer, internal)");
    };
  }
}
