package dev.kiln;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
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
 * <p>Lines are written to stderr by a thread of logback's ({@link AsyncAppender}), not by the
 * thread that logs them: a request's virtual thread that writes to stderr blocks its carrier in the
 * write, and the scheduler wakes another carrier to stand in for it, at every access log line
 * (~0.02 ms of CPU a request, on the way to the connection's next request). No line is dropped:
 * a full queue makes the logging thread wait. {@link #flush} writes what is queued when Kiln stops.
 */
public final class KilnLogging extends ContextAwareBase implements Configurator {
  /** The appender that hands lines to the writing thread, and how many it queues at most. */
  static final String ASYNC = "async";
  private static final int QUEUED_LINES = 1024;

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

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder("json".equalsIgnoreCase(settings.apply("KILN_LOG_FORMAT")) ? json(context) : text(context));
    console.start();
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName(ASYNC);
    async.setQueueSize(QUEUED_LINES);
    async.setDiscardingThreshold(0); // keep every level's lines, however full the queue
    async.setNeverBlock(false);
    async.addAppender(console);
    async.start();

    context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    context.getLogger("io.helidon").setLevel(Level.WARN);
    context.getLogger("kiln.access").setLevel(Level.toLevel(settings.apply("KILN_ACCESS_LOG"), Level.INFO));
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(settings.apply("KILN_LOG_LEVEL"), Level.INFO));
    root.addAppender(async);
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
    if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(ASYNC) instanceof AsyncAppender async) {
      async.stop(); // waits for the queue to empty (up to a second)
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
