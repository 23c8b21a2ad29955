package dev.skein.exporter.otlp.grpc;

import static dev.skein.exporter.WireBuffer.LENGTH_DELIMITED;
import static dev.skein.exporter.WireBuffer.VARINT;

import dev.skein.exporter.ProtoReader;
import java.time.Duration;

/**
 * Reads the {@code google.rpc.RetryInfo} a server may put in the {@code grpc-status-details-bin}
 * trailer, an encoded {@code google.rpc.Status}. Decoded by hand so that the exporter needs no
 * protobuf runtime ({@link ProtoReader}); the trailer comes from the network, so any malformed
 * input reads as "no RetryInfo" and never throws.
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
      ProtoReader status = new ProtoReader(encodedStatus);
      RetryInfo found = null;
      while (status.next()) {
        if (status.field() == 3 && status.wireType() == LENGTH_DELIMITED) {
          RetryInfo candidate = fromAny(status.message());
          if (found == null) {
            found = candidate;
          }
        } else {
          status.skip();
        }
      }
      return found;
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  private static RetryInfo fromAny(ProtoReader any) {
    String typeUrl = "";
    ProtoReader value = null;
    while (any.next()) {
      if (any.field() == 1 && any.wireType() == LENGTH_DELIMITED) {
        typeUrl = any.string();
      } else if (any.field() == 2 && any.wireType() == LENGTH_DELIMITED) {
        value = any.message();
      } else {
        any.skip();
      }
    }
    // The type name is the type URL's last path segment
    // ("type.googleapis.com/google.rpc.RetryInfo").
    if (!typeUrl.substring(typeUrl.lastIndexOf('/') + 1).equals(RETRY_INFO_TYPE)) {
      return null;
    }
    Duration delay = null;
    if (value != null) {
      while (value.next()) {
        if (value.field() == 1 && value.wireType() == LENGTH_DELIMITED) {
          delay = duration(value.message());
        } else {
          value.skip();
        }
      }
    }
    return new RetryInfo(delay);
  }

  /** A non-negative, in-range Duration, or null for anything else. */
  private static Duration duration(ProtoReader message) {
    long seconds = 0;
    long nanos = 0;
    while (message.next()) {
      if (message.field() == 1 && message.wireType() == VARINT) {
        seconds = message.varint();
      } else if (message.field() == 2 && message.wireType() == VARINT) {
        nanos = (int) message.varint(); // int32: negative values come as 10-byte varints
      } else {
        message.skip();
      }
    }
    if (seconds < 0 || seconds > MAX_DURATION_SECONDS || nanos < 0 || nanos > 999_999_999) {
      return null;
    }
    return Duration.ofSeconds(seconds, nanos);
  }
}
