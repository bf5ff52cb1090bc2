package io.iotbench.pipelines.common;

import io.iotbench.model.support.ErrorText;
import io.iotbench.pipelines.common.storage.StorageSetup;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line plumbing shared by every {@code iotbench} command that is a Beam pipeline (and {@code train}, which
 * takes the same runner options): parses Beam {@link PipelineOptions} (so {@code --runner=...}, {@code --help} and
 * every runner's options work), and turns bad input into one clear error line and a non-zero exit instead of a
 * stack trace. The other commands (simulate, broker, store, cluster, the benchmarks, portability) parse with
 * picocli through {@code io.iotbench.simulator.cli.Commands}, with the same error lines and exit codes.
 *
 * <p>No error line shows the value of an option that may hold a secret ({@link SecretOptions}): Beam's own parse
 * message quotes a malformed JSON value whole, credentials included.
 *
 * <p>Exit codes: 0 success, 1 the command failed while running, 2 invalid options (nothing was started).
 *
 * <p><b>Option naming rule for every pipeline.</b> Beam validates all options interfaces registered in a JVM
 * together (tests, benchmarks and composed commands run several commands in one JVM): an option name must have
 * the same type in every interface, and either the identical {@code @Default} on every getter of that name or
 * none at all. An option with one meaning in several commands is therefore declared once, in a shared
 * interface that each command's options extend: {@link SensorOptions} ({@code --sensors}) and
 * {@link SeedOptions} ({@code --seed}); the rule then holds by construction. A command that treats an absent
 * shared option differently (prepare infers the number of sensors) asks {@link #given}. A name whose default
 * depends on the command ({@code --rows}, {@code --input}, {@code --output}) has no {@code @Default} anywhere:
 * it is {@code @Validation.Required}, or boxed with {@code null} meaning "the command's default", stated in its
 * {@code @Description} and applied in code.
 */
public final class Cli {
  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  /** Exit code for invalid options: nothing was started. */
  public static final int EXIT_USAGE = 2;
  /** Exit code for a command that started and failed. */
  public static final int EXIT_FAILED = 1;

  /** The body of a command, given its parsed options; returns the exit code. */
  @FunctionalInterface
  public interface Command<T extends PipelineOptions> {
    int run(T options) throws Exception;
  }

  private Cli() {}

  /**
   * Parses {@code args} as {@code optionsClass}, runs {@code command} and exits the JVM with its code.
   * {@code --help} prints the command's options (descriptions and defaults) and exits 0.
   */
  public static <T extends PipelineOptions> void main(
      String name, String[] args, Class<T> optionsClass, Command<T> command) {
    System.exit(execute(name, args, optionsClass, command));
  }

  /** Like {@link #main} but returns the exit code instead of exiting; for tests and composed commands. */
  public static <T extends PipelineOptions> int execute(
      String name, String[] args, Class<T> optionsClass, Command<T> command) {
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, optionsClass);
      return 0;
    }
    // Values that may hold a secret never reach the console, whatever message quotes them (see SecretOptions).
    List<SecretOptions.Secret> secrets = SecretOptions.in(args);
    T options;
    try {
      options = parse(args, optionsClass);
    } catch (InvalidOptionException e) {
      ConsoleReport.error(SecretOptions.mask(errorLine(name, e), secrets));
      return EXIT_USAGE;
    } catch (IllegalArgumentException e) {
      ConsoleReport.error("iotbench " + name + ": error: " + SecretOptions.parseError(e, secrets));
      return EXIT_USAGE;
    }
    try {
      return command.run(options);
    } catch (InvalidOptionException e) {
      ConsoleReport.error(SecretOptions.mask(errorLine(name, e), secrets));
      return EXIT_USAGE;
    } catch (Exception | Error e) {
      LOG.debug("{} failed", name, e);
      ConsoleReport.error(SecretOptions.mask(
          "iotbench " + name + ": failed: " + ErrorText.oneLine(ErrorText.rootCause(e)), secrets));
      return EXIT_FAILED;
    }
  }

  /**
   * Parses and validates options and applies the storage settings ({@link StorageSetup}); throws
   * {@link IllegalArgumentException} with Beam's message when invalid.
   */
  public static <T extends PipelineOptions> T parse(String[] args, Class<T> optionsClass) {
    PipelineOptionsFactory.register(optionsClass);
    T options = PipelineOptionsFactory.fromArgs(args).withValidation().as(optionsClass);
    StorageSetup.configure(options);
    return options;
  }

  /**
   * Whether option {@code name} (e.g. {@code "sensors"}) was set, on the command line or by a setter, rather than
   * left at its default. Beam lists exactly the options that were set in the options' display data.
   */
  public static boolean given(PipelineOptions options, String name) {
    return DisplayData.from(options).items().stream().anyMatch(item -> item.getKey().equals(name));
  }

  static String errorLine(String name, Throwable e) {
    return "iotbench " + name + ": error: " + ErrorText.oneLine(e);
  }
}
