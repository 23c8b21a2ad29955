package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Turns an OpenTelemetry {@code AnyValue} into what {@link dev.skein.storage.Attribute} can hold,
 * the same way for the protobuf and the JSON decoder.
 *
 * <p>Decoders first build a raw value: {@link String}, {@link Boolean}, {@link Long}, {@link
 * Double}, a base64 {@link String} for bytes, an {@link ArrayList} of raw values for an array, a
 * {@link KeyValues} for a kvlist, and {@code null} for an AnyValue with no value set. Then:
 *
 * <ul>
 *   <li>scalars stay as they are, bytes stay base64 text;
 *   <li>an array whose elements are all scalars (or bytes) becomes an unmodifiable {@link List};
 *   <li>any other array, and every kvlist, becomes its compact JSON text (a kvlist as an object,
 *       keys in their order; an empty element as {@code null}; NaN and infinities as strings);
 *   <li>an attribute whose value is empty is dropped.
 * </ul>
 */
final class AnyValues {
  /** How deep arrays and kvlists may nest in one attribute value. */
  static final int MAX_DEPTH = 32;

  private static final JsonFactory JSON = new JsonFactory();

  private AnyValues() {}

  /** A kvlist: keys and raw values, in order, duplicates kept. */
  record KeyValues(List<String> keys, List<Object> values) {}

  /** The attribute value for a raw value, or null if the attribute is to be dropped. */
  static Object toAttributeValue(Object raw) {
    if (raw instanceof ArrayList<?> list) {
      for (Object element : list) {
        if (!isScalar(element)) {
          return toJson(raw);
        }
      }
      return Collections.unmodifiableList(list);
    }
    if (raw instanceof KeyValues) {
      return toJson(raw);
    }
    return raw;
  }

  static String base64(byte[] bytes, int offset, int length) {
    byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    return Base64.getEncoder().encodeToString(copy);
  }

  private static boolean isScalar(Object value) {
    return value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Double;
  }

  private static String toJson(Object raw) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text)) {
      write(json, raw);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a StringWriter failed", e);
    }
    return text.toString();
  }

  private static void write(JsonGenerator json, Object raw) throws IOException {
    if (raw == null) {
      json.writeNull();
    } else if (raw instanceof String s) {
      json.writeString(s);
    } else if (raw instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (raw instanceof Long l) {
      json.writeNumber(l);
    } else if (raw instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        json.writeString(d.toString());
      } else {
        json.writeNumber(d);
      }
    } else if (raw instanceof KeyValues kv) {
      json.writeStartObject();
      for (int i = 0; i < kv.keys().size(); i++) {
        json.writeFieldName(kv.keys().get(i));
        write(json, kv.values().get(i));
      }
      json.writeEndObject();
    } else if (raw instanceof List<?> list) {
      json.writeStartArray();
      for (Object element : list) {
        write(json, element);
      }
      json.writeEndArray();
    } else {
      throw new IllegalStateException("not a raw value: " + raw.getClass().getName());
    }
  }
}
