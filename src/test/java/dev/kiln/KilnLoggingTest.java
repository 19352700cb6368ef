package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KilnLoggingTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void textLinesOnStderrAtInfoByDefault() {
    ExecutionStatus status = new KilnLogging().configure(context, Map.<String, String>of()::get);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("console");
    assertThat(console.getTarget()).isEqualTo("System.err");
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
    assertThat(((ConsoleAppender<ILoggingEvent>) root.getAppender("console")).getEncoder()).isInstanceOf(JsonEncoder.class);
    assertThat(context.getLogger("kiln.access").getLevel()).isEqualTo(Level.OFF);
  }

  @Test
  void aConfigurationFileTheUserNamesWins() {
    ExecutionStatus status =
        new KilnLogging().configure(context, Map.of("logback.configurationFile", "/etc/kiln/logback.xml")::get);

    assertThat(status).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
  }
}
