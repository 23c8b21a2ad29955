package dev.skein.exporter.otlp.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads the {@code google.rpc.RetryInfo} a server may put in the {@code grpc-status-details-bin}
 * trailer, an encoded {@code google.rpc.Status}. Decoded by hand so that the exporter needs no
 * protobuf runtime; the trailer comes from the network, so any malformed input reads as "no
 * RetryInfo" and never throws.
 *
 * <pre>
 * google.rpc.Status     { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
 * google.protobuf.Any   { string type_url = 1; bytes value = 2; }
 * google.rpc.RetryInfo  { google.protobuf.Duration retry_delay = 1; }
 * google.protobuf.Duration { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 */
final class StatusDetails {

  /** The server asked to retry, after {@code retryDelay} when it said (null when it did not). */
  record RetryInfo(Duration retryDelay) {}

  private static final String RETRY_INFO_TYPE = "google.rpc.RetryInfo";
  // google.protobuf.Duration's documented range, about 10,000 years.
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private StatusDetails() {}

  /**
   * The first RetryInfo among the details of {@code encodedStatus}, or null when there is none or
   * the bytes are not a well-formed Status.
   */
  static RetryInfo retryInfo(byte[] encodedStatus) {
    if (encodedStatus == null) {
      return null;
    }
    try {
      Reader status = new Reader(encodedStatus, 0, encodedStatus.length);
      RetryInfo found = null;
      while (status.hasMore()) {
        int tag = status.readTag();
        if (tag == (3 << 3 | LENGTH_DELIMITED)) {
          RetryInfo candidate = fromAny(status.readMessage());
          if (found == null) {
            found = candidate;
          }
        } else {
          status.skip(tag);
        }
      }
      return found;
    } catch (MalformedException e) {
      return null;
    }
  }

  private static RetryInfo fromAny(Reader any) {
    String typeUrl = "";
    Reader value = null;
    while (any.hasMore()) {
      int tag = any.readTag();
      if (tag == (1 << 3 | LENGTH_DELIMITED)) {
        typeUrl = any.readMessage().asUtf8();
      } else if (tag == (2 << 3 | LENGTH_DELIMITED)) {
        value = any.readMessage();
      } else {
        any.skip(tag);
      }
    }
    // The type name is the type URL's last path segment
    // ("type.googleapis.com/google.rpc.RetryInfo").
    if (!typeUrl.substring(typeUrl.lastIndexOf('/') + 1).equals(RETRY_INFO_TYPE)) {
      return null;
    }
    Duration delay = null;
    if (value != null) {
      while (value.hasMore()) {
        int tag = value.readTag();
        if (tag == (1 << 3 | LENGTH_DELIMITED)) {
          delay = duration(value.readMessage());
        } else {
          value.skip(tag);
        }
      }
    }
    return new RetryInfo(delay);
  }

  /** A non-negative, in-range Duration, or null for anything else. */
  private static Duration duration(Reader message) {
    long seconds = 0;
    long nanos = 0;
    while (message.hasMore()) {
      int tag = message.readTag();
      if (tag == (1 << 3 | VARINT)) {
        seconds = message.readVarint();
      } else if (tag == (2 << 3 | VARINT)) {
        nanos = (int) message.readVarint(); // int32: negative values come as 10-byte varints
      } else {
        message.skip(tag);
      }
    }
    if (seconds < 0 || seconds > MAX_DURATION_SECONDS || nanos < 0 || nanos > 999_999_999) {
      return null;
    }
    return Duration.ofSeconds(seconds, nanos);
  }

  /** Thrown inside the decoder only; {@link #retryInfo} turns it into "no RetryInfo". */
  private static final class MalformedException extends RuntimeException {
    private static final MalformedException INSTANCE = new MalformedException();

    private MalformedException() {
      super("malformed protobuf", null, false, false);
    }
  }

  /** A cursor over {@code bytes[position, limit)}, one protobuf message. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int limit;

    Reader(byte[] bytes, int position, int limit) {
      this.bytes = bytes;
      this.position = position;
      this.limit = limit;
    }

    boolean hasMore() {
      return position < limit;
    }

    int readTag() {
      long tag = readVarint();
      if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) { // field numbers start at 1
        throw MalformedException.INSTANCE;
      }
      return (int) tag;
    }

    long readVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= limit) {
          throw MalformedException.INSTANCE;
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw MalformedException.INSTANCE; // more than 10 bytes
    }

    /** The next length-delimited field, as a reader of its own. */
    Reader readMessage() {
      long length = readVarint();
      if (length < 0 || length > limit - position) {
        throw MalformedException.INSTANCE;
      }
      Reader field = new Reader(bytes, position, position + (int) length);
      position += (int) length;
      return field;
    }

    String asUtf8() {
      return new String(bytes, position, limit - position, StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case VARINT -> readVarint();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> readMessage();
        case FIXED32 -> advance(4);
        default -> throw MalformedException.INSTANCE; // groups are deprecated; nothing else exists
      }
    }

    private void advance(int count) {
      if (count > limit - position) {
        throw MalformedException.INSTANCE;
      }
      position += count;
    }
  }
}
