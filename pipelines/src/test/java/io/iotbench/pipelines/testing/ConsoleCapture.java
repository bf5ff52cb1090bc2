package io.iotbench.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures standard output and error while a block runs, for tests of the console report. */
public final class ConsoleCapture {
  /** A block that may throw. */
  @FunctionalInterface
  public interface Block<T> {
    T run() throws Exception;
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code block} with System.out and System.err captured; returns its value. */
  public <T> T capture(Block<T> block) throws Exception {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return block.run();
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  public List<String> outLines() {
    return lines(out);
  }

  public List<String> errLines() {
    return lines(err);
  }

  private static List<String> lines(ByteArrayOutputStream bytes) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
  }
}
