package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {

  private final Logger logger = Logger.getLogger(ThrottledLogTest.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final AtomicLong nanoTime = new AtomicLong(1_000);
  private final ThrottledLog log =
      new ThrottledLog(logger, TimeUnit.MINUTES.toNanos(1), nanoTime::get);

  ThrottledLogTest() {
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
  }

  @AfterEach
  void removeHandler() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(true);
  }

  @Test
  void throttledLog_logsFirstProblemAtOnceThenAtMostOncePerInterval() {
    RuntimeException problem = new RuntimeException("down");

    assertThat(log.log(Level.WARNING, "export failed", problem)).isTrue();
    nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(30));
    assertThat(log.log(Level.WARNING, "export failed", problem)).isFalse();
    assertThat(log.log(Level.WARNING, "export failed", problem)).isFalse();
    nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(30));
    assertThat(log.log(Level.WARNING, "export failed", problem)).isTrue();

    assertThat(records).hasSize(2);
    assertThat(records.get(0).getMessage()).isEqualTo("export failed");
    assertThat(records.get(0).getThrown()).isSameAs(problem);
    assertThat(records.get(1).getMessage()).contains("2 similar messages suppressed");
  }
}
