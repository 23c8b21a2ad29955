package dev.skein.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireBufferTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireBuffer buffer = new WireBuffer(16);

  // ---- varints and tags

  @Test
  void varints_haveTheProtobufEncoding() {
    assertThat(varint(0)).isEqualTo("00");
    assertThat(varint(1)).isEqualTo("01");
    assertThat(varint(127)).isEqualTo("7f");
    assertThat(varint(128)).isEqualTo("8001");
    assertThat(varint(300)).isEqualTo("ac02");
    assertThat(varint(16383)).isEqualTo("ff7f");
    assertThat(varint(16384)).isEqualTo("808001");
    assertThat(varint(Integer.MAX_VALUE)).isEqualTo("ffffffff07");
    assertThat(varint(Long.MAX_VALUE)).isEqualTo("ffffffffffffffff7f");
    assertThat(varint(-1)).isEqualTo("ffffffffffffffffff01"); // int64 -1: ten bytes
  }

  @Test
  void varints_readBackAndTakeTheBytesVarintSizeSays() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >>> random.nextInt(64);
      WireBuffer out = new WireBuffer(16);
      out.writeVarint(value);
      byte[] bytes = out.toByteArray();
      Reader reader = new Reader(bytes);
      assertThat(reader.varint()).isEqualTo(value);
      assertThat(reader.position).isEqualTo(bytes.length);
      if (value >= 0 && value <= Integer.MAX_VALUE) {
        assertThat(WireBuffer.varintSize((int) value)).isEqualTo(bytes.length);
      }
    }
    for (int bits = 0; bits < 31; bits++) { // each size boundary
      assertThat(WireBuffer.varintSize((1 << bits) - 1)).isEqualTo(Math.max(1, (bits + 6) / 7));
    }
  }

  @Test
  void tags_shiftTheFieldNumberPastTheWireType() {
    buffer.writeTag(1, WireBuffer.LENGTH_DELIMITED);
    buffer.writeTag(15, WireBuffer.VARINT);
    buffer.writeTag(16, WireBuffer.FIXED32); // the first field number with a two-byte tag
    buffer.writeTag((1 << 29) - 1, WireBuffer.FIXED64); // the largest field number

    assertThat(hex(buffer)).isEqualTo("0a" + "78" + "8501" + "f9ffffff0f");
  }

  // ---- scalar fields

  @Test
  void fixedWidthValues_areLittleEndian_idsBigEndian() {
    buffer.writeFixed64(0x0102030405060708L);
    buffer.writeFixed32(0x0a0b0c0d);
    buffer.writeIdField(1, 0x0011223344556677L, 0x8899aabbccddeeffL);
    buffer.writeIdField(2, 0x0123456789abcdefL);

    byte[] bytes = buffer.toByteArray();
    ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(little.getLong(0)).isEqualTo(0x0102030405060708L);
    assertThat(little.getInt(8)).isEqualTo(0x0a0b0c0d);
    assertThat(HexFormat.of().formatHex(bytes, 12, bytes.length))
        .isEqualTo("0a10" + "00112233445566778899aabbccddeeff" + "1208" + "0123456789abcdef");
  }

  @Test
  void fieldsWithDefaultValues_areLeftOut() {
    buffer.writeStringField(1, "");
    buffer.writeStringField(1, null);
    buffer.writeVarintField(2, 0);
    buffer.writeFixed64Field(3, 0);
    buffer.writeDoubleField(4, 0.0);
    buffer.writeIdField(5, 0);

    assertThat(buffer.size()).isZero();
  }

  @Test
  void fieldsWithOtherValues_areWritten() {
    buffer.writeVarintField(1, 5);
    buffer.writeVarintField(2, 300);
    buffer.writeVarintField(3, -1);
    buffer.writeFixed64Field(4, 1);
    buffer.writeDoubleField(5, -0.0); // not the default: its bits are not zero
    buffer.writeStringField(6, "hi");

    assertThat(hex(buffer))
        .isEqualTo(
            "0805"
                + "10ac02"
                + "18ffffffffffffffffff01"
                + "210100000000000000"
                + "290000000000000080"
                + "32026869");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 2047, 2048})
  void stringFields_ofEveryLengthAndFieldNumber_readBack(int field) {
    for (String value :
        new String[] {
          "a", "x".repeat(127), "x".repeat(128), "héllo", "é".repeat(64), "ab€" + "x".repeat(200)
        }) {
      WireBuffer out = new WireBuffer(16);
      out.writeStringField(field, value);

      Reader reader = new Reader(out.toByteArray());
      assertThat(reader.varint()).isEqualTo(((long) field << 3) | WireBuffer.LENGTH_DELIMITED);
      assertThat(reader.lengthDelimited()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
      assertThat(reader.atEnd()).isTrue();
    }
  }

  // ---- nested messages

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 127, 128, 16383, 16384, 2097151, 2097152})
  void messageLengths_onEitherSideOfEachVarintSize(int length) {
    byte[] body = body(length);
    buffer.writeByte(0x55); // something before, to be left alone
    int mark = buffer.beginMessage(3);
    buffer.writeBytes(body);
    buffer.endMessage(mark);
    buffer.writeByte(0x66); // and after

    Reader reader = new Reader(buffer.toByteArray());
    assertThat(reader.bytes[reader.position++]).isEqualTo((byte) 0x55);
    assertThat(reader.varint()).isEqualTo(0x1a);
    assertThat(reader.lengthDelimited()).isEqualTo(body);
    assertThat(reader.bytes[reader.position++]).isEqualTo((byte) 0x66);
    assertThat(reader.atEnd()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 127, 128, 300, 16383, 16384, 100_000, 3_000_000})
  void messagesWithAnExpectedLength_getTheMinimalPrefixWhateverTheGuess(int expected) {
    for (int length : new int[] {0, 5, 127, 128, 300, 16383, 16384, 20_000, 2_100_000}) {
      byte[] body = body(length);
      WireBuffer out = new WireBuffer(16);
      int mark = out.beginMessage(2, expected);
      out.writeBytes(body);
      out.endMessage(mark);

      Reader reader = new Reader(out.toByteArray());
      assertThat(reader.varint()).isEqualTo(0x12);
      int lengthStart = reader.position;
      assertThat(reader.lengthDelimited())
          .as("body of %d, %d expected", length, expected)
          .isEqualTo(body);
      assertThat(reader.position - lengthStart - length)
          .as("length prefix bytes")
          .isEqualTo(WireBuffer.varintSize(length));
      assertThat(reader.atEnd()).isTrue();
    }
  }

  @Test
  void nestedMessages_crossingSizeBoundariesAtEveryLevel() {
    // outer (guessed 3 bytes) > middle (1 byte reserved) > inner strings of 100 bytes each:
    // the middle message crosses 127 and then 16383 while the outer one crosses 16383 too.
    int outer = buffer.beginMessage(1, 1 << 15);
    int middle = buffer.beginMessage(2);
    for (int i = 0; i < 200; i++) {
      buffer.writeStringField(3, "x".repeat(100));
    }
    buffer.endMessage(middle);
    int small = buffer.beginMessage(4);
    buffer.writeVarintField(1, 1);
    buffer.endMessage(small);
    buffer.endMessage(outer);

    Reader reader = new Reader(buffer.toByteArray());
    assertThat(reader.varint()).isEqualTo(0x0a);
    Reader outerBody = new Reader(reader.lengthDelimited());
    assertThat(reader.atEnd()).isTrue();
    assertThat(outerBody.varint()).isEqualTo(0x12);
    Reader middleBody = new Reader(outerBody.lengthDelimited());
    for (int i = 0; i < 200; i++) {
      assertThat(middleBody.varint()).isEqualTo(0x1a);
      assertThat(new String(middleBody.lengthDelimited(), StandardCharsets.US_ASCII))
          .isEqualTo("x".repeat(100));
    }
    assertThat(middleBody.atEnd()).isTrue();
    assertThat(outerBody.varint()).isEqualTo(0x22);
    assertThat(outerBody.lengthDelimited()).containsExactly(0x08, 0x01);
    assertThat(outerBody.atEnd()).isTrue();
  }

  // ---- text

  @Test
  void utf8_isWhatStringGetBytesGives_includingLoneSurrogatesAsQuestionMarks() {
    String[] samples = {
      "",
      "plain ascii",
      "\u0000\u007f",
      "\u0080\u07ff\u0800\uffff",
      "héllo wörld",
      "中文字符",
      "😀 \uD83D\uDC4D",
      "\uD800",
      "\uDC00",
      "a\uD800b",
      "a\uDC00b",
      "\uD83D\uD83D\uDE00",
      "end\uD83D",
    };
    for (String s : samples) {
      assertThat(utf8(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    }
    Random random = new Random(11);
    for (int i = 0; i < 2000; i++) {
      String s = randomString(random, random.nextInt(40));
      assertThat(utf8(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void utf8OfARange_isThatSubstring() {
    String s = "abc é 中 😀 xyz";
    for (int from = 0; from <= s.length(); from++) {
      for (int to = from; to <= s.length(); to++) {
        WireBuffer out = new WireBuffer(16);
        out.writeUtf8(s, from, to);
        assertThat(out.toByteArray())
            .isEqualTo(s.substring(from, to).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void ascii_isOneByteAChar() {
    buffer.writeAscii("{\"key\":");

    assertThat(new String(buffer.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("{\"key\":");
  }

  @Test
  void hex_isSixteenLowercaseDigits() {
    Random random = new Random(3);
    long[] values = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0af7651916cd43ddL};
    for (int i = 0; i < 1000; i++) {
      long value = i < values.length ? values[i] : random.nextLong();
      WireBuffer out = new WireBuffer(16);
      out.writeHex(value);
      assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII))
          .isEqualTo(String.format("%016x", value));
    }
  }

  @Test
  void decimal_isWhatLongToStringGives() {
    long[] edges = {
      0,
      1,
      -1,
      9,
      10,
      99,
      100,
      101,
      999_999_999,
      1_000_000_000,
      Long.MAX_VALUE,
      Long.MIN_VALUE,
      Long.MIN_VALUE + 1,
      1_700_000_000_123_456_789L
    };
    for (long value : edges) {
      assertThat(decimal(value)).isEqualTo(Long.toString(value));
    }
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      for (long value : new long[] {power - 1, power, power + 1, -power}) {
        assertThat(decimal(value)).isEqualTo(Long.toString(value));
      }
    }
    Random random = new Random(5);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(decimal(value)).isEqualTo(Long.toString(value));
    }
  }

  @Test
  void jsonStrings_readBackWithJackson() throws Exception {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    String[] samples = {
      "",
      "plain",
      every.toString(),
      "quote\" backslash\\ slash/ \n\r\t\b\f",
      "separators \u2028 \u2029 are escaped",
      "héllo 中文 😀",
      "é after \" an escape",
    };
    for (String s : samples) {
      assertThat(readJson(s)).as(s).isEqualTo(s);
    }
    Random random = new Random(13);
    for (int i = 0; i < 2000; i++) {
      String s = randomString(random, random.nextInt(30));
      assertThat(readJson(s)).as(s).isEqualTo(utf8RoundTrip(s));
    }
  }

  @Test
  void jsonStrings_escapeWhatJsonForbidsRaw_andTheJavaScriptSeparators() {
    buffer.writeJsonString("a\u0001\u001f\"\\\n\u2028\u2029");

    assertThat(new String(buffer.toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("\"a\\u0001\\u001f\\\"\\\\\\n\\u2028\\u2029\"");
  }

  @Test
  void jsonStrings_turnLoneSurrogatesIntoQuestionMarks() throws Exception {
    assertThat(readJson("x\uD800y\uDC00z")).isEqualTo("x?y?z");
  }

  // ---- the buffer itself

  @Test
  void grows_fromTheSmallestCapacity_keepingWhatWasWritten() {
    WireBuffer small = new WireBuffer(0);
    byte[] expected = body(100_000);
    for (byte b : expected) {
      small.writeByte(b);
    }
    small.writeUtf8("é".repeat(10_000));

    byte[] bytes = small.toByteArray();
    assertThat(Arrays.copyOf(bytes, expected.length)).isEqualTo(expected);
    assertThat(bytes).hasSize(expected.length + 20_000);
  }

  @Test
  void reset_forgetsTheContents_andToByteArrayIsACopy() throws Exception {
    buffer.writeAscii("first");
    byte[] first = buffer.toByteArray();
    buffer.reset();
    buffer.writeAscii("2nd");

    assertThat(first).isEqualTo("first".getBytes(StandardCharsets.US_ASCII));
    assertThat(buffer.size()).isEqualTo(3);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    buffer.writeTo(sink);
    assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("2nd");
  }

  // ---- helpers

  private static String varint(long value) {
    WireBuffer out = new WireBuffer(16);
    out.writeVarint(value);
    return hex(out);
  }

  private static String decimal(long value) {
    WireBuffer out = new WireBuffer(16);
    out.writeDecimal(value);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    WireBuffer out = new WireBuffer(16);
    out.writeUtf8(s);
    return out.toByteArray();
  }

  private static String readJson(String s) throws Exception {
    WireBuffer out = new WireBuffer(16);
    out.writeJsonString(s);
    byte[] bytes = out.toByteArray();
    for (byte b : bytes) {
      assertThat(b & 0xff).as("raw control character in %s", s).isGreaterThanOrEqualTo(0x20);
    }
    return JSON.readTree(bytes).textValue();
  }

  private static String utf8RoundTrip(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  private static String hex(WireBuffer out) {
    return HexFormat.of().formatHex(out.toByteArray());
  }

  private static byte[] body(int length) {
    byte[] body = new byte[length];
    for (int i = 0; i < length; i++) {
      body[i] = (byte) (i * 31 + 7);
    }
    return body;
  }

  /** Chars from every range that encodes differently, surrogates (paired or not) included. */
  private static String randomString(Random random, int length) {
    char[][] ranges = {
      {0, 0x7f}, {0x80, 0x7ff}, {0x800, 0xd7ff}, {0xd800, 0xdfff}, {0xe000, 0xffff}
    };
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (random.nextInt(8) == 0) {
        s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // a proper pair
        continue;
      }
      char[] range = ranges[random.nextInt(ranges.length)];
      s.append((char) (range[0] + random.nextInt(range[1] - range[0] + 1)));
    }
    return s.toString();
  }

  /** Just enough of a protobuf reader to check what was written. */
  private static final class Reader {
    final byte[] bytes;
    int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = bytes[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
    }

    byte[] lengthDelimited() {
      int length = (int) varint();
      byte[] body = Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return body;
    }

    boolean atEnd() {
      return position == bytes.length;
    }
  }
}
