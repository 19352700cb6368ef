package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class KilnLoggingTest {
  private final LoggerContext context = new LoggerContext();

  @org.junit.jupiter.api.BeforeEach
  void mdcAsLogbackGivesItsOwnContext() {
    context.setMDCAdapter(MDC.getMDCAdapter());
  }

  @Test
  void textLinesOnStderrAtInfoByDefault() {
    ExecutionStatus status = new KilnLogging().configure(context, Map.<String, String>of()::get);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    BatchedConsoleAppender console = console(root);
    assertThat(console.isStarted()).isTrue();
    assertThat(console.getEncoder()).isInstanceOfSatisfying(
        PatternLayoutEncoder.class, e -> assertThat(e.getPattern()).contains("%X{request_id:--}"));
    assertThat(context.getLogger("io.helidon").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("kiln.access").getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void theEnvironmentChoosesJsonAndTheLevels() {
    Map<String, String> settings =
        Map.of("KILN_LOG_FORMAT", "json", "KILN_LOG_LEVEL", "DEBUG", "KILN_ACCESS_LOG", "OFF");

    new KilnLogging().configure(context, settings::get);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(console(root).getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(context.getLogger("kiln.access").getLevel()).isEqualTo(Level.OFF);
  }

  @Test
  void aConfigurationFileTheUserNamesWins() {
    ExecutionStatus status =
        new KilnLogging().configure(context, Map.of("logback.configurationFile", "/etc/kiln/logback.xml")::get);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
  }

  @Test
  void linesLoggedFasterThanWrittenAreAllWrittenByTheFlush() throws Exception {
    new KilnLogging().configure(context, Map.<String, String>of()::get);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    console(context.getLogger(Logger.ROOT_LOGGER_NAME)).setOutputStream(written);
    Logger access = context.getLogger("kiln.access");
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < 4; t++) {
        int thread = t;
        threads.submit(() -> {
          for (int i = 0; i < 5_000; i++) { // past the queue's bound: loggers must wait, not drop
            MDC.put("request_id", "req-" + thread + "-" + i);
            access.info("GET /line {}", i);
          }
          MDC.remove("request_id");
        });
      }
    }
    KilnLogging.flush(context);

    List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(20_000);
    assertThat(lines).allSatisfy(line -> assertThat(line).containsPattern("\\[req-[0-3]-[0-9]+\\] kiln.access GET /line"));
  }

  @Test
  void aLineItsEncoderCannotWriteIsSkippedAndTheOthersWritten() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder() {
      @Override
      public byte[] encode(ch.qos.logback.classic.spi.ILoggingEvent event) {
        if (event.getFormattedMessage().contains("bad")) {
          throw new IllegalStateException("cannot encode " + event.getFormattedMessage());
        }
        return super.encode(event);
      }
    };
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    BatchedConsoleAppender appender = new BatchedConsoleAppender();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(written);
    appender.start();
    Logger logger = context.getLogger("probe");
    logger.addAppender(appender);

    logger.info("first");
    logger.info("bad one");
    logger.info("last");
    appender.stop();

    assertThat(written.toString(StandardCharsets.UTF_8).lines()).containsExactly("first", "last");
  }

  private static BatchedConsoleAppender console(Logger root) {
    return (BatchedConsoleAppender) root.getAppender(KilnLogging.CONSOLE);
  }
}
