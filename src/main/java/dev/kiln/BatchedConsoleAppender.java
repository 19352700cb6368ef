package dev.kiln;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log lines to a stream from a thread of its own: {@value #WRITE_EVERY_MS} ms after the first
 * line since its last write, all the lines queued by then in one write. Idle, it sleeps.
 *
 * <p>Why: written from the request's own virtual thread, a line blocks its carrier in the write,
 * and the scheduler wakes another carrier to stand in for it, before the connection reads its next
 * request. logback's {@code AsyncAppender} wakes its writer for every line instead, and the writer
 * writes each with a system call of its own. Here a line costs its thread a queue insert.
 *
 * <p>No line is dropped: past {@value #MAX_QUEUED} queued lines, a logging thread wakes the writer
 * and waits for the queue to drain. {@link #stop} writes what is queued.
 */
final class BatchedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  static final long WRITE_EVERY_MS = 20;
  static final int MAX_QUEUED = 4096;

  private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final ByteArrayOutputStream batch = new ByteArrayOutputStream(8192);
  private Encoder<ILoggingEvent> encoder;
  private volatile OutputStream out;
  private volatile boolean stopping;
  private Thread writer;

  void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  Encoder<ILoggingEvent> getEncoder() {
    return encoder;
  }

  void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void start() {
    if (encoder == null || out == null) {
      addError("no encoder or stream for appender " + name);
      return;
    }
    stopping = false;
    writer = Thread.ofPlatform().name("kiln-log-writer").daemon().start(this::writeUntilStopped);
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing(); // the request id and message, as they are now
    queue.add(event);
    int now = queued.incrementAndGet();
    if (now == 1) {
      LockSupport.unpark(writer); // the first line since the last write: a batch starts
    } else if (now > MAX_QUEUED) {
      while (queued.get() > MAX_QUEUED / 2 && !stopping) {
        LockSupport.unpark(writer);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  /** Stops taking lines and writes those queued, waiting for the writer up to a second. */
  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    stopping = true;
    LockSupport.unpark(writer);
    try {
      writer.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeUntilStopped() {
    while (!stopping) {
      if (queued.get() == 0) {
        LockSupport.park(this); // idle: no wake-ups until a line comes
        continue;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(WRITE_EVERY_MS)); // let the batch fill
      writeQueued();
    }
    writeQueued(); // what came before the stop
  }

  private void writeQueued() {
    ILoggingEvent event;
    while ((event = queue.poll()) != null) {
      queued.decrementAndGet();
      try {
        batch.writeBytes(encoder.encode(event));
      } catch (RuntimeException e) {
        // One line the encoder cannot write must not stop the writer, or loggers would wait for good.
        addError("could not encode a log line", e);
      }
      if (batch.size() >= 64 * 1024) {
        flushBatch();
      }
    }
    flushBatch();
  }

  private void flushBatch() {
    if (batch.size() == 0) {
      return;
    }
    try {
      batch.writeTo(out);
      out.flush();
    } catch (IOException | RuntimeException e) {
      addError("could not write log lines", e);
    } finally {
      batch.reset();
    }
  }
}
