package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MpscArrayQueueTest {

  @Test
  void queue_holdsExactlyItsBoundInAPowerOfTwoArray() {
    MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(5);

    for (int i = 0; i < 5; i++) {
      assertThat(queue.offer(i)).isTrue();
    }
    assertThat(queue.offer(5)).isFalse();
    assertThat(queue.size()).isEqualTo(5);
    assertThat(queue.arrayLength()).isEqualTo(8);
    assertThat(new MpscArrayQueue<>(1).arrayLength()).isEqualTo(1);
    assertThat(new MpscArrayQueue<>(2048).arrayLength()).isEqualTo(2048);
    assertThat(new MpscArrayQueue<>(2049).arrayLength()).isEqualTo(4096);
  }

  @Test
  void queue_rejectsBadBounds() {
    assertThatThrownBy(() -> new MpscArrayQueue<>(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MpscArrayQueue<>((1 << 30) + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void queue_isFifoForOneProducerAcrossManyWrapArounds() {
    MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(3);
    List<Integer> sink = new ArrayList<>();
    int next = 0;
    int expected = 0;
    for (int round = 0; round < 1000; round++) {
      while (queue.offer(next)) {
        next++;
      }
      if (round % 2 == 0) {
        sink.clear();
        queue.drainTo(sink, 2);
        for (int value : sink) {
          assertThat(value).isEqualTo(expected++);
        }
      } else {
        assertThat(queue.poll()).isEqualTo(expected++);
      }
    }
    assertThat(next - expected).isEqualTo(queue.size());
  }

  @Test
  void queue_drainToRespectsMaxAndReportsCount() {
    MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(16);
    for (int i = 0; i < 10; i++) {
      queue.offer(i);
    }
    List<Integer> sink = new ArrayList<>();

    assertThat(queue.drainTo(sink, 4)).isEqualTo(4);
    assertThat(sink).containsExactly(0, 1, 2, 3);
    assertThat(queue.drainTo(sink, 100)).isEqualTo(6);
    assertThat(queue.drainTo(sink, 100)).isZero();
    assertThat(queue.poll()).isNull();
    assertThat(queue.size()).isZero();
    assertThat(queue.consumerIndex()).isEqualTo(10);
    assertThat(queue.producerIndex()).isEqualTo(10);
  }

  @Test
  void queue_rejectsNull() {
    assertThatThrownBy(() -> new MpscArrayQueue<Integer>(4).offer(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void queue_closeRejectsLaterOffersAndKeepsWhatIsQueued() {
    MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(8);
    queue.offer(1);
    queue.offer(2);

    assertThat(queue.close()).isEqualTo(2);
    assertThat(queue.close()).isEqualTo(2);
    assertThat(queue.isClosed()).isTrue();
    assertThat(queue.offer(3)).isFalse();
    assertThat(queue.size()).isEqualTo(2);
    assertThat(queue.producerIndex()).isEqualTo(2);
    List<Integer> sink = new ArrayList<>();
    queue.drainTo(sink, 10);
    assertThat(sink).containsExactly(1, 2);
  }

  @Test
  void queue_concurrentProducersDeliverEverythingInPerProducerOrder() throws Exception {
    int producers = 4;
    int perProducer = 200_000;
    MpscArrayQueue<long[]> queue = new MpscArrayQueue<>(1024); // small: forces full-queue retries
    CyclicBarrier start = new CyclicBarrier(producers + 1);
    AtomicBoolean failed = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  failed.set(true);
                  return;
                }
                for (long i = 0; i < perProducer; i++) {
                  long[] element = {producer, i};
                  while (!queue.offer(element)) {
                    Thread.onSpinWait();
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }

    start.await();
    long[] nextExpected = new long[producers];
    List<long[]> sink = new ArrayList<>();
    long received = 0;
    while (received < (long) producers * perProducer) {
      sink.clear();
      if (queue.drainTo(sink, 256) == 0) {
        Thread.onSpinWait();
        continue;
      }
      for (long[] element : sink) {
        int producer = (int) element[0];
        assertThat(element[1]).isEqualTo(nextExpected[producer]);
        nextExpected[producer]++;
      }
      received += sink.size();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(failed).isFalse();
    assertThat(received).isEqualTo((long) producers * perProducer);
    assertThat(nextExpected).containsOnly(perProducer);
    assertThat(queue.size()).isZero();
  }

  @Test
  void queue_concurrentProducersNeverExceedTheBound() throws Exception {
    int producers = 4;
    MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(100);
    CyclicBarrier start = new CyclicBarrier(producers);
    int[] accepted = new int[producers];
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                for (int i = 0; i < 1000; i++) {
                  if (queue.offer(i)) {
                    accepted[producer]++;
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    int total = 0;
    for (int count : accepted) {
      total += count;
    }
    assertThat(total).isEqualTo(100);
    assertThat(queue.size()).isEqualTo(100);
  }
}
