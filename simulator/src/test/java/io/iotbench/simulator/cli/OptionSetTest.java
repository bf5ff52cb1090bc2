package io.iotbench.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionSetTest {

  private final OptionSet options =
      new OptionSet("test", "usage: test")
          .value("count", "3", "a count")
          .value("name", null, "a name")
          .value("wait", "5s", "a duration")
          .flag("verbose", false, "a flag")
          .repeatable("property", "key=value");

  @Test
  void defaultsApplyUntilGiven() throws Exception {
    ParsedOptions o = options.parse(new String[] {});
    assertEquals(3, o.intValue("count", 0, 10));
    assertEquals(null, o.string("name"));
    assertFalse(o.bool("verbose"));
    assertFalse(o.isGiven("count"));
    assertEquals(List.of(), o.all("property"));
  }

  @Test
  void readsEveryForm() throws Exception {
    ParsedOptions o =
        options.parse(new String[] {"kafka", "--count=7", "--verbose", "--property=a=1", "--property=b=x=y", "--name="});
    assertEquals(7, o.intValue("count", 0, 10));
    assertTrue(o.bool("verbose"));
    assertEquals(List.of("a=1", "b=x=y"), o.all("property"));
    assertEquals(List.of("kafka"), o.positional());
    assertEquals("", o.string("name"));
    assertThrows(UsageException.class, () -> o.required("name"));
  }

  @Test
  void durations() throws Exception {
    assertEquals(Duration.ofMillis(500), ParsedOptions.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(5), ParsedOptions.parseDuration("5s"));
    assertEquals(Duration.ofSeconds(5), ParsedOptions.parseDuration("5"));
    assertEquals(Duration.ofSeconds(90), ParsedOptions.parseDuration("1.5m"));
    assertEquals(Duration.ofHours(2), ParsedOptions.parseDuration("2h"));
    assertEquals(Duration.ofSeconds(30), ParsedOptions.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> ParsedOptions.parseDuration("soon"));
    assertEquals("500ms", ParsedOptions.format(Duration.ofMillis(500)));
    assertEquals("1.5s", ParsedOptions.format(Duration.ofMillis(1500)));
    UsageException e = assertThrows(UsageException.class, () -> options.parse(new String[] {"--wait=-1s"}).duration("wait", Duration.ZERO));
    assertEquals("--wait=-1s: must be >= 0s", e.getMessage());
  }

  @Test
  void helpShowsEveryOptionAndDefault() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    options.printHelp(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
    String help = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(help.contains("--count=...") && help.contains("a count [3]"), help);
    assertTrue(help.contains("a name [none]"), help);
    assertTrue(help.contains("--verbose[=true|false]") && help.contains("a flag [false]"), help);
    assertTrue(help.contains("key=value [repeatable; none]"), help);
  }

  @Test
  void helpIsRecognisedAnywhere() {
    assertTrue(OptionSet.wantsHelp(new String[] {"--count=1", "--help"}));
    assertTrue(OptionSet.wantsHelp(new String[] {"-h"}));
    assertFalse(OptionSet.wantsHelp(new String[] {"--count=1"}));
  }
}
