package io.iotbench.runners.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.simulator.cli.Commands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options of serve that are refused before anything starts: one line, exit code 2. */
class ServeTest {
  @TempDir Path temp;

  private record Run(int status, String out, String err) {}

  private static Run serve(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Commands.execute(new Serve(new PrintStream(out, true, StandardCharsets.UTF_8)), args,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        IllegalArgumentException.class);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theModelNameIsTheFolderName() {
    assertEquals("lr100", Serve.defaultName("data/models/lr100"));
    assertEquals("lr100", Serve.defaultName("data/models/lr100/"));
    assertEquals("lr100", Serve.defaultName("s3://bucket/models/lr100/model.json"));
  }

  @Test
  void refusesAKeyOnTheCommandLine() {
    Run run = serve("--model=" + temp, "--accessKey=s3cret");
    assertEquals(2, run.status());
    assertEquals("iotbench serve: error: --accessKey=s3cret: must be one of generate\n", run.err());
  }

  @Test
  void refusesAnUnusableKeyFileWithoutShowingIt() throws Exception {
    Path key = Files.writeString(temp.resolve("key"), "short\n");
    Run run = serve("--model=" + temp, "--accessKeyFile=" + key);
    assertEquals(2, run.status());
    assertEquals("iotbench serve: error: the first line of " + key
        + " is not a usable access key (8-512 printable ASCII characters without blanks)\n", run.err());
  }

  @Test
  void aMissingModelIsOneLine() {
    Run run = serve("--model=" + temp.resolve("none"), "--port=0");
    assertEquals(2, run.status());
    assertEquals("iotbench serve: error: model file " + temp.resolve("none").resolve("model.json")
        + " does not exist (train a model first, or give --model a model folder)\n", run.err());
  }

  @Test
  void aPortInUseIsOneLineNamingTheAddress() throws Exception {
    Path folder = Files.createDirectories(temp.resolve("lr3"));
    Files.write(folder.resolve(io.iotbench.model.scoring.PortableModel.FILE_NAME),
        io.iotbench.model.scoring.PortableModel.logisticRegression(new double[] {1, 2, 3}, 0, 0.5, java.util.Map.of()).toBytes());
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Run run = serve("--model=" + folder, "--port=" + taken.getLocalPort());
      assertEquals(1, run.status());
      assertEquals("iotbench serve: failed: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use\n",
          run.err());
    }
  }
}
