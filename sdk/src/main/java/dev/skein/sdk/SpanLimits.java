package dev.skein.sdk;

/**
 * Caps on what one span may hold. What goes beyond a cap is dropped and counted in the span's
 * dropped counts; nothing is ever thrown to the caller.
 *
 * @param maxAttributes attributes per span
 * @param maxAttributeValueLength characters kept of a string value (and of each string in an array)
 * @param maxEvents events per span
 * @param maxLinks links per span
 * @param maxAttributesPerEvent attributes per event
 * @param maxAttributesPerLink attributes per link
 */
public record SpanLimits(
    int maxAttributes,
    int maxAttributeValueLength,
    int maxEvents,
    int maxLinks,
    int maxAttributesPerEvent,
    int maxAttributesPerLink) {

  /** The OpenTelemetry defaults: 128 of everything, values unlimited in length. */
  public static final SpanLimits DEFAULT =
      new SpanLimits(128, Integer.MAX_VALUE, 128, 128, 128, 128);

  public SpanLimits {
    requireNonNegative("maxAttributes", maxAttributes);
    requireNonNegative("maxAttributeValueLength", maxAttributeValueLength);
    requireNonNegative("maxEvents", maxEvents);
    requireNonNegative("maxLinks", maxLinks);
    requireNonNegative("maxAttributesPerEvent", maxAttributesPerEvent);
    requireNonNegative("maxAttributesPerLink", maxAttributesPerLink);
  }

  public SpanLimits withMaxAttributes(int value) {
    return new SpanLimits(
        value,
        maxAttributeValueLength,
        maxEvents,
        maxLinks,
        maxAttributesPerEvent,
        maxAttributesPerLink);
  }

  public SpanLimits withMaxAttributeValueLength(int value) {
    return new SpanLimits(
        maxAttributes, value, maxEvents, maxLinks, maxAttributesPerEvent, maxAttributesPerLink);
  }

  public SpanLimits withMaxEvents(int value) {
    return new SpanLimits(
        maxAttributes,
        maxAttributeValueLength,
        value,
        maxLinks,
        maxAttributesPerEvent,
        maxAttributesPerLink);
  }

  public SpanLimits withMaxLinks(int value) {
    return new SpanLimits(
        maxAttributes,
        maxAttributeValueLength,
        maxEvents,
        value,
        maxAttributesPerEvent,
        maxAttributesPerLink);
  }

  public SpanLimits withMaxAttributesPerEvent(int value) {
    return new SpanLimits(
        maxAttributes, maxAttributeValueLength, maxEvents, maxLinks, value, maxAttributesPerLink);
  }

  public SpanLimits withMaxAttributesPerLink(int value) {
    return new SpanLimits(
        maxAttributes, maxAttributeValueLength, maxEvents, maxLinks, maxAttributesPerEvent, value);
  }

  private static void requireNonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
