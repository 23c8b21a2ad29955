package dev.skein.sdk.export;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A bounded, lock-free queue for many producer threads and one consumer thread.
 *
 * <p>Producers claim an index by CAS on {@code tail}, then publish the element into the slot with a
 * release store; the consumer reads slots with acquire loads and, after draining, publishes the new
 * {@code head} with one release store. A slot is non-null exactly while it holds an element the
 * consumer has not taken, so the consumer never reads an index past the last published element.
 *
 * <p>Producers check for room against {@code headCache}, their shared copy of {@code head}, and
 * read the consumer's {@code head} only when the queue looks full: in steady state a producer
 * touches only its own cache lines plus the slot it writes.
 *
 * <p>The array has a power-of-two length for mask indexing, but the queue holds at most {@code
 * bound} elements, so a caller asking for 2048 gets exactly 2048 and dropped counts stay exact.
 *
 * <p>{@link #close()} sets the sign bit of {@code tail}; since every offer goes through a CAS on
 * {@code tail}, no element can enter after the close, and the consumer knows the final index.
 */
final class MpscArrayQueue<E> extends MpscQueueConsumerFields {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle TAIL;
  private static final VarHandle HEAD_CACHE;
  private static final VarHandle HEAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(MpscQueueProducerFields.class, "tail", long.class);
      HEAD_CACHE = lookup.findVarHandle(MpscQueueProducerFields.class, "headCache", long.class);
      HEAD = lookup.findVarHandle(MpscQueueConsumerFields.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final long CLOSED = Long.MIN_VALUE;

  // Keeps the next object's header off the line holding head.
  long p30, p31, p32, p33, p34, p35, p36, p37;
  long p38, p39, p3a, p3b, p3c, p3d, p3e, p3f;

  /**
   * @param bound the most elements the queue holds, at least 1 and at most 2^30
   */
  MpscArrayQueue(int bound) {
    super(bound);
  }

  /** The most elements the queue holds. */
  int bound() {
    return bound;
  }

  /** The length of the backing array: the bound rounded up to a power of two. */
  int arrayLength() {
    return buffer.length;
  }

  /**
   * Adds {@code element} at the tail. Never blocks; safe from any thread.
   *
   * @return false when the queue is full or closed
   */
  boolean offer(E element) {
    if (element == null) {
      throw new NullPointerException("element");
    }
    long cachedHead = (long) HEAD_CACHE.getAcquire(this);
    long t;
    do {
      t = (long) TAIL.getVolatile(this);
      if (t < 0) {
        return false; // closed
      }
      if (t - cachedHead >= bound) {
        cachedHead = (long) HEAD.getAcquire(this);
        if (t - cachedHead >= bound) {
          return false; // really full
        }
        HEAD_CACHE.setRelease(this, cachedHead);
      }
    } while (!TAIL.compareAndSet(this, t, t + 1));
    SLOT.setRelease(buffer, (int) t & mask, element);
    return true;
  }

  /**
   * Moves up to {@code max} elements, oldest first, into {@code sink}. Consumer thread only.
   *
   * <p>Stops early at a slot whose producer has claimed it but not yet written it (a window of a
   * few instructions), so the count may be less than {@link #size()}; callers loop.
   *
   * @return how many elements were moved
   */
  @SuppressWarnings("unchecked")
  int drainTo(List<? super E> sink, int max) {
    long h = (long) HEAD.getOpaque(this); // only this thread writes head
    Object[] buffer = this.buffer;
    int n = 0;
    while (n < max) {
      int i = (int) h & mask;
      Object e = SLOT.getAcquire(buffer, i);
      if (e == null) {
        break;
      }
      // The release store of head below orders this null before the slot is offered again.
      SLOT.setOpaque(buffer, i, null);
      sink.add((E) e);
      h++;
      n++;
    }
    if (n > 0) {
      HEAD.setRelease(this, h);
    }
    return n;
  }

  /** Removes and returns the oldest element, or null when none is ready. Consumer thread only. */
  @SuppressWarnings("unchecked")
  E poll() {
    long h = (long) HEAD.getOpaque(this);
    int i = (int) h & mask;
    Object e = SLOT.getAcquire(buffer, i);
    if (e == null) {
      return null;
    }
    SLOT.setOpaque(buffer, i, null);
    HEAD.setRelease(this, h + 1);
    return (E) e;
  }

  /**
   * How many elements are queued, including ones whose producers are still writing them. Exact when
   * no thread is using the queue, an estimate in {@code [0, bound]} otherwise.
   *
   * <p>Reads tail with volatile semantics: the batch processor's worker relies on that to never
   * miss a producer's wake-up (see {@link BatchSpanProcessor}).
   */
  int size() {
    // head is read first, so a tail read later is never behind it.
    long h = (long) HEAD.getVolatile(this);
    long t = (long) TAIL.getVolatile(this) & ~CLOSED;
    long size = t - h;
    return size <= 0 ? 0 : (int) Math.min(size, bound);
  }

  /** How many elements have ever been claimed by producers. */
  long producerIndex() {
    return (long) TAIL.getVolatile(this) & ~CLOSED;
  }

  /** How many elements the consumer has ever taken. */
  long consumerIndex() {
    return (long) HEAD.getVolatile(this);
  }

  /**
   * Rejects every later offer. Idempotent; safe from any thread.
   *
   * @return the final producer index: the consumer has seen everything once {@link
   *     #consumerIndex()} reaches it
   */
  long close() {
    while (true) {
      long t = (long) TAIL.getVolatile(this);
      if (t < 0) {
        return t & ~CLOSED;
      }
      if (TAIL.compareAndSet(this, t, t | CLOSED)) {
        return t;
      }
    }
  }

  boolean isClosed() {
    return (long) TAIL.getVolatile(this) < 0;
  }
}

/** Fields read by both sides and never written after construction. */
abstract class MpscQueueReadOnlyFields {
  final Object[] buffer;
  final int mask;
  final int bound;

  MpscQueueReadOnlyFields(int bound) {
    if (bound < 1 || bound > 1 << 30) {
      throw new IllegalArgumentException("bound must be in [1, 2^30]: " + bound);
    }
    int length = bound == 1 ? 1 : Integer.highestOneBit(bound - 1) << 1;
    this.buffer = new Object[length];
    this.mask = length - 1;
    this.bound = bound;
  }
}

// The padding classes below keep the producers' hot fields (tail, headCache) and the consumer's
// head on separate cache lines: HotSpot lays out superclass fields first, so padding declared in
// a class between them reliably separates them, where padding inside one class may be reordered.
// 16 longs (128 bytes) also covers the adjacent-line prefetcher of Intel CPUs.

abstract class MpscQueuePad1 extends MpscQueueReadOnlyFields {
  long p10, p11, p12, p13, p14, p15, p16, p17;
  long p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;

  MpscQueuePad1(int bound) {
    super(bound);
  }
}

/**
 * Written by producers: {@code tail} on every offer, {@code headCache} when the queue looks full.
 */
abstract class MpscQueueProducerFields extends MpscQueuePad1 {
  volatile long tail;
  volatile long headCache;

  MpscQueueProducerFields(int bound) {
    super(bound);
  }
}

abstract class MpscQueuePad2 extends MpscQueueProducerFields {
  long p20, p21, p22, p23, p24, p25, p26, p27;
  long p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;

  MpscQueuePad2(int bound) {
    super(bound);
  }
}

/** Written by the consumer once per drain. */
abstract class MpscQueueConsumerFields extends MpscQueuePad2 {
  volatile long head;

  MpscQueueConsumerFields(int bound) {
    super(bound);
  }
}
