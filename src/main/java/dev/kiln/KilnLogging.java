package dev.kiln;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.io.OutputStream;
import java.util.function.UnaryOperator;
import org.slf4j.LoggerFactory;

/**
 * Kiln's logging, set up in code (logback finds it as a service) rather than from a
 * {@code logback.xml}: reading XML made logback load a SAX parser and its configuration
 * interpreter, ~600 classes and ~25 ms of every start's CPU.
 *
 * <p>What it sets: one line per event on stderr (stdout is where the ready line goes), with the
 * request id that is also sent back as {@code x-openstack-request-id}; or, with
 * {@code KILN_LOG_FORMAT=json}, one JSON object per line (the request id is in its "mdc") for log
 * shippers. {@code KILN_LOG_LEVEL} sets the root level and {@code KILN_ACCESS_LOG} the access
 * log's (both INFO by default); each may also be given as a system property. A file named by
 * logback's own {@code -Dlogback.configurationFile} replaces all of this.
 *
 * <p>Lines are written to stderr by a thread of Kiln's, in batches ({@link BatchedConsoleAppender}),
 * not by the thread that logs them: a request's virtual thread that writes to stderr blocks its
 * carrier in the write, and the scheduler wakes another carrier to stand in for it, at every access
 * log line (~0.02 ms of CPU a request, on the way to the connection's next request). No line is
 * dropped. {@link #flush} writes what is queued when Kiln stops.
 */
public final class KilnLogging extends ContextAwareBase implements Configurator {
  /** The appender that writes the lines to stderr. */
  static final String CONSOLE = "console";

  /** Whatever {@code System.err} is when a batch is written (tests and tools replace it). */
  private static final OutputStream STDERR =
      new OutputStream() {
        @Override
        public void write(int b) {
          System.err.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
          System.err.write(bytes, offset, length);
        }

        @Override
        public void flush() {
          System.err.flush();
        }
      };

  static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level [%X{request_id:--}] %logger{24} %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    return configure(context, KilnLogging::setting);
  }

  ExecutionStatus configure(LoggerContext context, UnaryOperator<String> settings) {
    if (settings.apply(ContextInitializer.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // Logback's own start-up chatter would land among Kiln's lines.
    context.getStatusManager().add(new NopStatusListener());

    BatchedConsoleAppender console = new BatchedConsoleAppender();
    console.setContext(context);
    console.setName(CONSOLE);
    console.setOutputStream(STDERR);
    console.setEncoder("json".equalsIgnoreCase(settings.apply("KILN_LOG_FORMAT")) ? json(context) : text(context));
    console.start();

    context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    context.getLogger("io.helidon").setLevel(Level.WARN);
    context.getLogger("kiln.access").setLevel(Level.toLevel(settings.apply("KILN_ACCESS_LOG"), Level.INFO));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.apply("KILN_LOG_LEVEL"), Level.INFO));
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Writes the lines still queued and stops logging: for the end of the process (what a kill -9
   * finds queued, a few lines at most, is lost). Does nothing when logback is not what logs.
   */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      flush(context);
    }
  }

  static void flush(LoggerContext context) {
    if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(CONSOLE) instanceof BatchedConsoleAppender console) {
      console.stop(); // writes what is queued (waiting up to a second)
    }
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithFormattedMessage(true);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithContext(false);
    encoder.setWithSequenceNumber(false);
    encoder.start();
    return encoder;
  }

  /** A system property, else an environment variable, as logback's {@code ${NAME}} looked them up. */
  private static String setting(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? null : value;
  }
}
