package dev.skein.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.Attribute;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashesTest {

  @Test
  void aNumberHashesLikeItsText() {
    Random random = new Random(1);
    long[] edges = {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    for (long value : edges) {
      assertThat(Hashes.decimalHash(value))
          .as("%d", value)
          .isEqualTo(Long.toString(value).hashCode());
    }
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(Hashes.decimalHash(value))
          .as("%d", value)
          .isEqualTo(Long.toString(value).hashCode());
    }
  }

  @Test
  void everyValueFingerprintsLikeTheTextASearchGives() {
    for (Object value :
        List.of("GET", 200L, -5L, true, false, 0.5, List.of("a", "b"), List.of(1L, 2L), "")) {
      String text = new Attribute("k", value).valueAsString();
      assertThat(Hashes.valueFingerprint(value))
          .as("%s", value)
          .isEqualTo(Hashes.fingerprint(text));
    }
  }

  @Test
  void durationBucketsNeverShrinkAsDurationsGrow() {
    int previous = Hashes.durationBucket(0);
    for (long duration = 1;
        duration > 0 && duration < Long.MAX_VALUE / 3;
        duration = duration * 3 + 1) {
      int bucket = Hashes.durationBucket(duration);
      assertThat(bucket).isGreaterThanOrEqualTo(previous).isLessThan(256);
      previous = bucket;
    }
    assertThat(Hashes.durationBucket(Long.MAX_VALUE)).isLessThan(256);
  }
}
