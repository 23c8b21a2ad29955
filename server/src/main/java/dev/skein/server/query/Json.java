package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.skein.storage.Attribute;
import java.io.IOException;
import java.util.List;

/** The one Jackson factory of the query APIs, and value writing shared by the formats. */
final class Json {
  static final JsonFactory FACTORY =
      JsonFactory.builder()
          // Parameters are small; refuse deep nesting and long numbers early.
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(100).build())
          .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
          .build();

  private Json() {}

  /** Epoch (or duration) nanoseconds as whole microseconds, rounding down. */
  static long micros(long nanos) {
    return Math.floorDiv(nanos, 1000L);
  }

  /** A number field, or null for NaN and infinities. */
  static void writeDouble(JsonGenerator gen, String field, double value) throws IOException {
    if (Double.isFinite(value)) {
      gen.writeNumberField(field, value);
    } else {
      gen.writeNullField(field);
    }
  }

  /** True if the list holds an attribute with this key. */
  static boolean hasKey(List<Attribute> attributes, String key) {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** The text of the first attribute with this key, or null. */
  static String textOf(List<Attribute> attributes, String key) {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(key)) {
        return attribute.valueAsString();
      }
    }
    return null;
  }
}
