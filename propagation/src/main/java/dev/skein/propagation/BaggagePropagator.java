package dev.skein.propagation;

import static dev.skein.propagation.HexFields.skipOws;
import static dev.skein.propagation.HexFields.trimOwsEnd;
import static dev.skein.propagation.PercentEncoding.isBaggageOctet;
import static dev.skein.propagation.PercentEncoding.isTchar;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * W3C Baggage: the {@code baggage} header to and from the {@link Baggage} of a {@link Context}.
 *
 * <p>Extract reads every {@code baggage} header of the carrier as one list, percent-decodes values
 * as UTF-8 and keeps a member's properties as its {@link BaggageEntryMetadata} (the raw text after
 * the first {@code ;}). A malformed member is dropped and the others kept. Extracted members are
 * added to any baggage the context already holds, so that a composite with Jaeger keeps both.
 *
 * <p>Inject writes at most 64 members and 8192 bytes, the limits the spec requires to be
 * propagated, and drops whole members that would pass them, never part of one. Members whose key is
 * not a token are dropped; metadata that is not a valid property list is left off.
 */
public final class BaggagePropagator implements TextMapPropagator {

  static final String FIELD = "baggage";
  static final int MAX_MEMBERS = 64;
  static final int MAX_BYTES = 8192;

  /**
   * The grammar allows at most 180 members; extraction reads no more, which bounds what a hostile
   * peer can make us hold.
   */
  static final int MAX_EXTRACTED_MEMBERS = 180;

  private static final BaggagePropagator INSTANCE = new BaggagePropagator();
  private static final List<String> FIELDS = List.of(FIELD);

  private BaggagePropagator() {}

  public static BaggagePropagator getInstance() {
    return INSTANCE;
  }

  @Override
  public Collection<String> fields() {
    return FIELDS;
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    Baggage baggage = Baggage.fromContext(context);
    if (baggage.isEmpty()) {
      return;
    }
    // Measure first, then write into one array of the exact size: one char[] and one String.
    HeaderWriter writer = new HeaderWriter();
    baggage.forEach(writer);
    if (writer.length == 0) {
      return;
    }
    writer.startWriting();
    baggage.forEach(writer);
    setter.set(carrier, FIELD, writer.header());
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    Iterator<String> headers = getter.getAll(carrier, FIELD);
    if (headers == null) {
      return context;
    }
    HeaderParser parser = null;
    while (headers.hasNext()) {
      String header = headers.next();
      if (header == null) {
        continue;
      }
      if (parser == null) {
        parser = new HeaderParser(context);
      }
      if (!parser.parse(header)) {
        break;
      }
    }
    return parser == null ? context : parser.result();
  }

  @Override
  public String toString() {
    return "BaggagePropagator";
  }

  /**
   * Whether {@code s[from, to)} is a W3C property list: {@code key [= value]} items separated by
   * {@code ;}, with optional white space around each part.
   */
  static boolean isPropertyList(String s, int from, int to) {
    int i = from;
    while (true) {
      i = skipOws(s, i, to);
      int keyStart = i;
      while (i < to && isTchar(s.charAt(i))) {
        i++;
      }
      if (i == keyStart) {
        return false;
      }
      i = skipOws(s, i, to);
      if (i < to && s.charAt(i) == '=') {
        i = skipOws(s, i + 1, to);
        while (i < to && isBaggageOctet(s.charAt(i))) {
          i++;
        }
        i = skipOws(s, i, to);
      }
      if (i == to) {
        return true;
      }
      if (s.charAt(i) != ';') {
        return false;
      }
      i++;
    }
  }

  /** Reads members one at a time into a builder made on the first valid one. */
  private static final class HeaderParser {
    private final Context context;
    private BaggageBuilder builder;
    private int members;

    HeaderParser(Context context) {
      this.context = context;
    }

    /** Reads one header's members; false once the member cap is reached. */
    boolean parse(String header) {
      int length = header.length();
      int start = 0;
      while (start <= length) {
        if (members == MAX_EXTRACTED_MEMBERS) {
          return false;
        }
        // A comma can appear nowhere inside a member, so it always ends one.
        int comma = header.indexOf(',', start);
        if (comma < 0) {
          comma = length;
        }
        member(header, start, comma);
        start = comma + 1;
      }
      return true;
    }

    private void member(String s, int from, int to) {
      int i = skipOws(s, from, to);
      if (i == to) {
        return; // an empty list entry, as in "a=1,,b=2"
      }
      int keyStart = i;
      while (i < to && isTchar(s.charAt(i))) {
        i++;
      }
      int keyEnd = i;
      if (keyEnd == keyStart) {
        return;
      }
      i = skipOws(s, i, to);
      if (i == to || s.charAt(i) != '=') {
        return;
      }
      i = skipOws(s, i + 1, to);
      int valueStart = i;
      while (i < to && isBaggageOctet(s.charAt(i))) {
        i++;
      }
      int valueEnd = i;
      i = skipOws(s, i, to);
      BaggageEntryMetadata metadata = BaggageEntryMetadata.empty();
      if (i < to) {
        if (s.charAt(i) != ';' || !isPropertyList(s, i + 1, to)) {
          return;
        }
        int propertiesStart = skipOws(s, i + 1, to);
        metadata =
            BaggageEntryMetadata.create(
                s.substring(propertiesStart, trimOwsEnd(s, propertiesStart, to)));
      }
      if (builder == null) {
        builder = Baggage.fromContext(context).toBuilder();
      }
      String key = s.substring(keyStart, keyEnd);
      String lowercase = key.toLowerCase(Locale.ROOT);
      if (!lowercase.equals(key) && Baggage.fromContext(context).getEntryValue(lowercase) != null) {
        // Jaeger's uberctx- headers, read first, lose their case (HTTP/2 lowercases every header
        // name): that entry is this one, which must not travel on as a second member.
        builder.remove(lowercase);
      }
      builder.put(key, PercentEncoding.decode(s, valueStart, valueEnd, false), metadata);
      members++;
    }

    Context result() {
      return builder == null ? context : context.with(builder.build());
    }
  }

  /**
   * Visits the baggage twice with the same decisions: first to measure the header, then to write it
   * into an array of that size.
   */
  private static final class HeaderWriter implements BiConsumer<String, BaggageEntry> {
    private char[] chars;
    private int length;
    private int members;

    @Override
    public void accept(String key, BaggageEntry entry) {
      if (members == MAX_MEMBERS || key == null || entry == null || entry.getValue() == null) {
        return;
      }
      String value = entry.getValue();
      String metadata = metadataOf(entry);
      int separator = members == 0 ? 0 : 1;
      int room = (chars == null ? MAX_BYTES : chars.length) - length - separator;
      int keyPart = key.length() + 1;
      if (keyPart > room || !PercentEncoding.isToken(key)) {
        return;
      }
      int valueLength = PercentEncoding.encodedLength(value, true, room - keyPart);
      int memberLength = keyPart + valueLength + (metadata.isEmpty() ? 0 : 1 + metadata.length());
      if (memberLength > room) {
        return; // whole members only; a smaller one later may still fit
      }
      if (chars != null) {
        int offset = length;
        if (separator == 1) {
          chars[offset++] = ',';
        }
        key.getChars(0, key.length(), chars, offset);
        offset += key.length();
        chars[offset++] = '=';
        offset = PercentEncoding.encode(value, true, chars, offset);
        if (!metadata.isEmpty()) {
          chars[offset++] = ';';
          metadata.getChars(0, metadata.length(), chars, offset);
        }
      }
      length += separator + memberLength;
      members++;
    }

    void startWriting() {
      chars = new char[length];
      length = 0;
      members = 0;
    }

    String header() {
      return length == chars.length ? new String(chars) : new String(chars, 0, length);
    }

    private static String metadataOf(BaggageEntry entry) {
      BaggageEntryMetadata metadata = entry.getMetadata();
      String raw = metadata == null ? null : metadata.getValue();
      if (raw == null || raw.isEmpty() || !isPropertyList(raw, 0, raw.length())) {
        return "";
      }
      return raw;
    }
  }
}
