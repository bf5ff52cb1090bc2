package io.iotbench.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CommandsTest {

  @Command(name = "test", optionListHeading = Commands.OPTION_LIST_HEADING)
  static final class TestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Commands.HelpOption help;

    @Option(names = "--count", paramLabel = Commands.VALUE, defaultValue = "3", description = "a count [${DEFAULT-VALUE}]")
    int count;

    @Option(names = "--name", paramLabel = Commands.VALUE, description = "a name [none]")
    String name;

    @Option(names = "--wait", paramLabel = Commands.VALUE, defaultValue = "5s", description = "a duration [${DEFAULT-VALUE}]")
    Duration wait;

    @Option(names = "--verbose", paramLabel = "true|false", arity = "0..1", defaultValue = "false", fallbackValue = "true",
        description = "a flag [${DEFAULT-VALUE}]")
    boolean verbose;

    @Option(names = "--property", paramLabel = Commands.VALUE, description = "key=value [repeatable; none]")
    List<String> property = new ArrayList<>();

    @Override
    public Integer call() {
      Commands.range(spec, "count", count, 0, 10);
      Commands.atLeast(spec, "wait", wait, Duration.ZERO);
      return count;
    }
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(TestCommand command, String... args) {
    return Commands.execute(
        command, args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void defaultsApplyUntilGiven() {
    TestCommand c = new TestCommand();
    assertEquals(3, run(c));
    assertEquals(null, c.name);
    assertEquals(false, c.verbose);
    assertEquals(List.of(), c.property);
  }

  @Test
  void readsEveryForm() {
    TestCommand c = new TestCommand();
    assertEquals(7, run(c, "--count=7", "--verbose", "--property=a=1", "--property=b=x=y", "--name="));
    assertEquals(true, c.verbose);
    assertEquals(List.of("a=1", "b=x=y"), c.property);
    assertEquals("", c.name);
    TestCommand off = new TestCommand();
    run(off, "--verbose=false", "--count=1_0");
    assertEquals(false, off.verbose);
    assertEquals(10, off.count);
  }

  @Test
  void durations() {
    assertEquals(Duration.ofMillis(500), Commands.parseDuration("500ms"));
    assertEquals(Duration.ofSeconds(5), Commands.parseDuration("5s"));
    assertEquals(Duration.ofSeconds(5), Commands.parseDuration("5"));
    assertEquals(Duration.ofSeconds(90), Commands.parseDuration("1.5m"));
    assertEquals(Duration.ofHours(2), Commands.parseDuration("2h"));
    assertEquals(Duration.ofSeconds(30), Commands.parseDuration("PT30S"));
    assertThrows(IllegalArgumentException.class, () -> Commands.parseDuration("soon"));
    assertEquals("500ms", Commands.format(Duration.ofMillis(500)));
    assertEquals("1.5s", Commands.format(Duration.ofMillis(1500)));
    assertEquals(2, run(new TestCommand(), "--wait=-1s"));
    assertEquals("iotbench test: error: --wait=-1s: must be >= 0s\n", err());
  }

  @Test
  void badOptionsAreOneLineAndStatusTwo() {
    for (String[] c : new String[][] {
        {"--count=x", "--count=x: not a whole number"},
        {"--count=11", "--count=11: must be <= 10"},
        {"--wait=soon", "--wait=soon: not a duration (e.g. 500ms, 5s, 2m, 1h)"},
        {"--verbose=maybe", "--verbose=maybe: must be true or false"},
        {"--other=secret", "--other: unknown option (see iotbench test --help)"},
        {"--count", "--count: needs a value, as in --count=..."},
        {"extra", "unexpected argument 'extra' (options are --name=value)"}}) {
      err.reset();
      assertEquals(2, run(new TestCommand(), c[0]), c[0]);
      assertEquals("iotbench test: error: " + c[1] + "\n", err(), c[0]);
    }
    err.reset();
    assertEquals(2, run(new TestCommand(), "--count=1", "--count=2"));
    assertEquals("iotbench test: error: --count: given more than once\n", err());
  }

  @Test
  void helpShowsEveryOptionAndDefault() {
    assertEquals(0, run(new TestCommand(), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.contains("--count=...") && help.contains("a count [3]"), help);
    assertTrue(help.contains("a name [none]"), help);
    assertTrue(help.contains("--verbose[=true|false]") && help.contains("a flag [false]"), help);
    assertTrue(help.contains("key=value [repeatable; none]"), help);
  }

  @Test
  void helpIsRecognisedAnywhere() {
    assertEquals(0, run(new TestCommand(), "--count=1", "--help"));
    assertEquals(0, run(new TestCommand(), "-h"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--count"));
  }
}
