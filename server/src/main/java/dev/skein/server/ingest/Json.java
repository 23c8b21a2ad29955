package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Typed reads from a Jackson streaming parser for the JSON decoders. Each read takes the current
 * token (the value of the field just named) and fails with {@link MalformedRequestException},
 * naming the field and its place, when the token has the wrong type.
 */
final class Json {
  /**
   * Field names are canonicalized (so {@code switch} on them is cheap) but never {@link
   * String#intern() interned}: clients choose tag keys, and the JVM's string pool is no place for
   * them.
   */
  static final JsonFactory FACTORY =
      JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private final JsonParser parser;
  private final String format;
  private final Supplier<String> location;

  Json(JsonParser parser, String format, Supplier<String> location) {
    this.parser = parser;
    this.format = format;
    this.location = location;
  }

  /** True if the token starts an object; false for null; malformed otherwise. */
  boolean object(JsonToken token, String field) {
    if (token == JsonToken.START_OBJECT) {
      return true;
    }
    if (token == JsonToken.VALUE_NULL) {
      return false;
    }
    throw malformed(field + " must be an object, not " + describe(token));
  }

  /** True if the token starts an array; false for null; malformed otherwise. */
  boolean array(JsonToken token, String field) {
    if (token == JsonToken.START_ARRAY) {
      return true;
    }
    if (token == JsonToken.VALUE_NULL) {
      return false;
    }
    throw malformed(field + " must be an array, not " + describe(token));
  }

  /** The string, from {@code table}; "" for null. */
  String string(JsonToken token, String field, StringTable table) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return table.chars(
          parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }
    if (token == JsonToken.VALUE_NULL) {
      return "";
    }
    throw malformed(field + " must be a string, not " + describe(token));
  }

  /** An unsigned 64-bit integer, as a number or a decimal string; 0 for null. */
  long uint64(JsonToken token, String field) throws IOException {
    switch (token) {
      case VALUE_NUMBER_INT -> {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          BigInteger value = parser.getBigIntegerValue();
          if (value.signum() < 0 || value.bitLength() > 64) {
            throw malformed(field + " is out of range: " + value);
          }
          return value.longValue();
        }
        long value = parser.getLongValue();
        if (value < 0) {
          throw malformed(field + " must not be negative: " + value);
        }
        return value;
      }
      case VALUE_STRING -> {
        String text = parser.getText();
        try {
          return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
          throw malformed(field + " is not an unsigned integer: " + shorten(text));
        }
      }
      case VALUE_NULL -> {
        return 0;
      }
      default -> throw malformed(field + " must be an integer, not " + describe(token));
    }
  }

  /** A signed 64-bit integer, as a number or a decimal string; null for null. */
  Long int64(JsonToken token, String field) throws IOException {
    switch (token) {
      case VALUE_NUMBER_INT -> {
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          throw malformed(field + " is out of range: " + parser.getText());
        }
        return parser.getLongValue();
      }
      case VALUE_STRING -> {
        String text = parser.getText();
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw malformed(field + " is not an integer: " + shorten(text));
        }
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw malformed(field + " must be an integer, not " + describe(token));
    }
  }

  /** A non-negative integer that fits in 32 bits unsigned, kept in an int; 0 for null. */
  int uint32(JsonToken token, String field) throws IOException {
    long value = uint64(token, field);
    if (value > 0xFFFF_FFFFL) {
      throw malformed(field + " is out of range: " + value);
    }
    return (int) value;
  }

  /** A double, as a number or a string (also "NaN", "Infinity", "-Infinity"); null for null. */
  Double float64(JsonToken token, String field) throws IOException {
    switch (token) {
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_STRING -> {
        String text = parser.getText();
        switch (text) {
          case "NaN" -> {
            return Double.NaN;
          }
          case "Infinity" -> {
            return Double.POSITIVE_INFINITY;
          }
          case "-Infinity" -> {
            return Double.NEGATIVE_INFINITY;
          }
          default -> {
            // Double.parseDouble would also take hex floats, "1d" and padding: not JSON numbers.
            if (!JSON_NUMBER.matcher(text).matches()) {
              throw malformed(field + " is not a number: " + shorten(text));
            }
            return Double.parseDouble(text);
          }
        }
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw malformed(field + " must be a number, not " + describe(token));
    }
  }

  /** A boolean; null for null. */
  Boolean bool(JsonToken token, String field) {
    switch (token) {
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw malformed(field + " must be true or false, not " + describe(token));
    }
  }

  /** Base64 text (standard or URL-safe alphabet, padding optional) as standard base64. */
  String base64(JsonToken token, String field) throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw malformed(field + " must be a base64 string, not " + describe(token));
    }
    String text = parser.getText();
    byte[] decoded;
    try {
      boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      decoded = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(field + " is not base64: " + shorten(text));
    }
    return Base64.getEncoder().encodeToString(decoded);
  }

  /** An enum as its number or one of {@code names} (index = number); 0 for null or unknown. */
  int enumValue(JsonToken token, String field, String[] names) throws IOException {
    switch (token) {
      case VALUE_NUMBER_INT -> {
        if (parser.getNumberType() != JsonParser.NumberType.INT) {
          throw malformed(field + " is out of range: " + parser.getText());
        }
        return parser.getIntValue();
      }
      case VALUE_STRING -> {
        String text = parser.getText();
        for (int i = 0; i < names.length; i++) {
          if (names[i].equals(text)) {
            return i;
          }
        }
        return 0;
      }
      case VALUE_NULL -> {
        return 0;
      }
      default -> throw malformed(field + " must be an enum number, not " + describe(token));
    }
  }

  MalformedRequestException malformed(String problem) {
    return malformed(problem, parser.currentTokenLocation());
  }

  MalformedRequestException malformed(String problem, JsonLocation at) {
    long offset = at == null ? -1 : at.getByteOffset();
    String where = offset >= 0 ? " at byte " + offset : "";
    return new MalformedRequestException(
        "malformed " + format + " in " + location.get() + where + ": " + problem);
  }

  /** The exception for what the JSON parser itself refused (syntax, limits). */
  MalformedRequestException malformed(JsonProcessingException e) {
    return malformed(e.getOriginalMessage(), e.getLocation());
  }

  static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the input";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  static String shorten(String text) {
    return text.length() <= 64 ? '"' + text + '"' : '"' + text.substring(0, 64) + "...\"";
  }
}
