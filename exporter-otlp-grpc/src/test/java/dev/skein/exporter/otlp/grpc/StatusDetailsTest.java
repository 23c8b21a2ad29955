package dev.skein.exporter.otlp.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.rpc.Code;
import com.google.rpc.DebugInfo;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatusDetailsTest {

  private static RetryInfo retryInfo(long seconds, int nanos) {
    return RetryInfo.newBuilder()
        .setRetryDelay(
            com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos))
        .build();
  }

  private static byte[] status(Any... details) {
    return Status.newBuilder()
        .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
        .setMessage("slow down")
        .addAllDetails(Arrays.asList(details))
        .build()
        .toByteArray();
  }

  private static final byte[] WITH_RETRY_INFO =
      status(
          Any.pack(ErrorInfo.newBuilder().setReason("RATE").setDomain("example.com").build()),
          Any.pack(retryInfo(12, 345_000_000)),
          Any.pack(DebugInfo.newBuilder().setDetail("x").build()));

  @Test
  void readsTheRetryDelay() {
    assertThat(StatusDetails.retryInfo(WITH_RETRY_INFO))
        .isEqualTo(new StatusDetails.RetryInfo(Duration.ofSeconds(12, 345_000_000)));
  }

  @Test
  void retryInfoWithoutDelayHasNoDelay() {
    assertThat(StatusDetails.retryInfo(status(Any.pack(RetryInfo.getDefaultInstance()))))
        .isEqualTo(new StatusDetails.RetryInfo(null));
  }

  @Test
  void zeroDelayIsZero() {
    // Set explicitly, the Duration message is present even though both its fields are zero.
    assertThat(StatusDetails.retryInfo(status(Any.pack(retryInfo(0, 0)))))
        .isEqualTo(new StatusDetails.RetryInfo(Duration.ZERO));
  }

  @Test
  void theFirstRetryInfoWins() {
    assertThat(
            StatusDetails.retryInfo(status(Any.pack(retryInfo(1, 0)), Any.pack(retryInfo(2, 0)))))
        .isEqualTo(new StatusDetails.RetryInfo(Duration.ofSeconds(1)));
  }

  @Test
  void noRetryInfoAmongTheDetails() {
    assertThat(StatusDetails.retryInfo(status(Any.pack(ErrorInfo.getDefaultInstance())))).isNull();
    assertThat(StatusDetails.retryInfo(status())).isNull();
    assertThat(StatusDetails.retryInfo(new byte[0])).isNull();
    assertThat(StatusDetails.retryInfo(null)).isNull();
  }

  @Test
  void typeUrlsFromAnyHostAreRecognised() {
    Any custom =
        Any.newBuilder()
            .setTypeUrl("example.com/types/google.rpc.RetryInfo")
            .setValue(retryInfo(5, 0).toByteString())
            .build();
    assertThat(StatusDetails.retryInfo(status(custom)))
        .isEqualTo(new StatusDetails.RetryInfo(Duration.ofSeconds(5)));
  }

  @Test
  void similarTypeNamesAreNotRetryInfo() {
    for (String typeUrl :
        new String[] {
          "type.googleapis.com/google.rpc.RetryInfoX",
          "type.googleapis.com/xgoogle.rpc.RetryInfo",
          "google.rpc.RetryInfo/other"
        }) {
      Any other =
          Any.newBuilder().setTypeUrl(typeUrl).setValue(retryInfo(5, 0).toByteString()).build();
      assertThat(StatusDetails.retryInfo(status(other))).as(typeUrl).isNull();
    }
  }

  @Test
  void negativeOrOutOfRangeDelaysAreNoDelay() {
    assertThat(StatusDetails.retryInfo(status(Any.pack(retryInfo(-1, 0)))))
        .isEqualTo(new StatusDetails.RetryInfo(null));
    assertThat(StatusDetails.retryInfo(status(Any.pack(retryInfo(0, -5)))))
        .isEqualTo(new StatusDetails.RetryInfo(null));
    assertThat(StatusDetails.retryInfo(status(Any.pack(retryInfo(0, 1_000_000_000)))))
        .isEqualTo(new StatusDetails.RetryInfo(null));
    assertThat(StatusDetails.retryInfo(status(Any.pack(retryInfo(Long.MAX_VALUE, 0)))))
        .isEqualTo(new StatusDetails.RetryInfo(null));
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkipped() throws IOException {
    ByteArrayOutputStream duration = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(duration);
    out.writeFixed32(7, 0xdeadbeef);
    out.writeInt64(1, 4);
    out.writeFixed64(8, -1L);
    out.writeString(9, "later fields are skipped");
    out.writeInt32(2, 5);
    out.writeUInt64(10, Long.MAX_VALUE);
    out.flush();

    ByteArrayOutputStream retry = new ByteArrayOutputStream();
    out = CodedOutputStream.newInstance(retry);
    out.writeFixed64(2, 1L);
    out.writeBytes(1, ByteString.copyFrom(duration.toByteArray()));
    out.writeFixed32(3, 1);
    out.flush();

    Any any =
        Any.newBuilder()
            .setTypeUrl("type.googleapis.com/google.rpc.RetryInfo")
            .setValue(ByteString.copyFrom(retry.toByteArray()))
            .build();
    assertThat(StatusDetails.retryInfo(status(any)))
        .isEqualTo(new StatusDetails.RetryInfo(Duration.ofSeconds(4, 5)));
  }

  @Test
  void groupWireTypeIsMalformed() {
    byte[] withGroup = Arrays.copyOf(WITH_RETRY_INFO, WITH_RETRY_INFO.length + 1);
    withGroup[WITH_RETRY_INFO.length] = (byte) (4 << 3 | 3); // start group, field 4
    assertThat(StatusDetails.retryInfo(withGroup)).isNull();
  }

  @Test
  void overlongVarintIsMalformed() {
    byte[] overlong = new byte[12];
    Arrays.fill(overlong, (byte) 0x80);
    overlong[0] = (byte) (1 << 3); // field 1, varint: then 11 continuation bytes
    assertThat(StatusDetails.retryInfo(overlong)).isNull();
  }

  @Test
  void lengthBeyondTheEndIsMalformed() {
    byte[] huge = {(byte) (3 << 3 | 2), (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
    assertThat(StatusDetails.retryInfo(huge)).isNull();
    byte[] negative = {
      (byte) (3 << 3 | 2),
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      (byte) 0xff,
      0x01
    };
    assertThat(StatusDetails.retryInfo(negative)).isNull();
  }

  @Test
  void fieldNumberZeroIsMalformed() {
    assertThat(StatusDetails.retryInfo(new byte[] {0x00, 0x00})).isNull();
  }

  @Test
  void everyTruncationIsReadWithoutThrowing() {
    for (int length = 0; length < WITH_RETRY_INFO.length; length++) {
      byte[] truncated = Arrays.copyOf(WITH_RETRY_INFO, length);
      StatusDetails.RetryInfo found = StatusDetails.retryInfo(truncated);
      // A cut inside the details is malformed; a cut between two details leaves a valid Status.
      if (found != null) {
        assertThat(found.retryDelay()).isEqualTo(Duration.ofSeconds(12, 345_000_000));
      }
    }
  }

  @Test
  void randomBytesNeverThrow() {
    Random random = new Random(4317);
    for (int i = 0; i < 20_000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      StatusDetails.retryInfo(garbage);
    }
  }

  @Test
  void corruptedStatusesNeverThrow() {
    Random random = new Random(4318);
    int stillFound = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] corrupted = WITH_RETRY_INFO.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        corrupted[random.nextInt(corrupted.length)] = (byte) random.nextInt(256);
      }
      if (StatusDetails.retryInfo(corrupted) != null) {
        stillFound++;
      }
    }
    // Corruption in the message text or the other details leaves the RetryInfo readable.
    assertThat(stillFound).isPositive();
  }
}
