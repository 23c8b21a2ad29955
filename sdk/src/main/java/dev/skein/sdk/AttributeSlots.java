package dev.skein.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Attributes kept as a flat array of key/value pairs, shared by the span builder and the span.
 *
 * <p>A key slot holds a {@link String} when the attribute came through one of the {@code
 * setAttribute(String, …)} overloads, so no {@link AttributeKey} is built per call; the type then
 * follows from the value's class. When an {@link AttributeKey} was given it is kept as is, which
 * also carries the element type of array values. Lookups are linear: spans rarely carry more than a
 * few dozen attributes, where a scan beats hashing.
 */
final class AttributeSlots {

  private AttributeSlots() {}

  static String keyName(Object key) {
    return key instanceof String s ? s : ((AttributeKey<?>) key).getKey();
  }

  static AttributeType type(Object key, Object value) {
    if (key instanceof AttributeKey<?> attributeKey) {
      return attributeKey.getType();
    }
    if (value instanceof String) {
      return AttributeType.STRING;
    }
    if (value instanceof Long) {
      return AttributeType.LONG;
    }
    if (value instanceof Double) {
      return AttributeType.DOUBLE;
    }
    return AttributeType.BOOLEAN;
  }

  /** The slot index of {@code key}'s pair, or -1. */
  static int indexOf(Object[] slots, int used, String key) {
    for (int i = 0; i < used; i += 2) {
      Object k = slots[i];
      if (k == key || key.equals(keyName(k))) {
        return i;
      }
    }
    return -1;
  }

  /** A string value cut to the length limit; arrays of strings element by element. */
  static Object truncate(Object value, int maxLength) {
    if (maxLength == Integer.MAX_VALUE) {
      return value;
    }
    if (value instanceof String s) {
      return s.length() > maxLength ? s.substring(0, maxLength) : s;
    }
    if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String) {
      List<Object> cut = new ArrayList<>(list.size());
      for (Object element : list) {
        cut.add(truncate(element, maxLength));
      }
      return cut;
    }
    return value;
  }

  /** Copies {@code attributes} under the given limits; used for events and links. */
  static Attributes limit(Attributes attributes, int maxCount, int maxLength) {
    if (attributes.size() <= maxCount && maxLength == Integer.MAX_VALUE) {
      return attributes;
    }
    AttributesBuilder builder = Attributes.builder();
    int[] kept = {0};
    attributes.forEach(
        (key, value) -> {
          if (kept[0] < maxCount) {
            putUnchecked(builder, key, truncate(value, maxLength));
            kept[0]++;
          }
        });
    return builder.build();
  }

  static Attributes toAttributes(Object[] slots, int used) {
    if (used == 0) {
      return Attributes.empty();
    }
    AttributesBuilder builder = Attributes.builder();
    for (int i = 0; i < used; i += 2) {
      Object key = slots[i];
      Object value = slots[i + 1];
      if (key instanceof AttributeKey<?> attributeKey) {
        putUnchecked(builder, attributeKey, value);
      } else if (value instanceof String s) {
        builder.put((String) key, s);
      } else if (value instanceof Long l) {
        builder.put((String) key, l);
      } else if (value instanceof Double d) {
        builder.put((String) key, d);
      } else if (value instanceof Boolean b) {
        builder.put((String) key, b);
      }
    }
    return builder.build();
  }

  @SuppressWarnings("unchecked")
  private static void putUnchecked(AttributesBuilder builder, AttributeKey<?> key, Object value) {
    builder.put((AttributeKey<Object>) key, value);
  }
}
