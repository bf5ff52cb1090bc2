package io.iotbench.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.model.EventCsvCodec;
import io.iotbench.model.SensorEvent;
import io.iotbench.simulator.broker.FreePorts;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulateTest {

  record Run(int status, List<String> events, List<String> out, List<String> err, long millis) {}

  static Run simulate(String... args) {
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int status =
        Simulate.run(args, events, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), new FakeClock());
    return new Run(status, lines(events), lines(out), lines(err), (System.nanoTime() - start) / 1_000_000);
  }

  private static List<String> lines(ByteArrayOutputStream bytes) {
    String s = bytes.toString(StandardCharsets.UTF_8);
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  @Test
  void printsTotalEventsThenTheSentinelToStdout() {
    Run run = simulate("--total=5", "--rate=10");
    assertEquals(0, run.status(), run.err().toString());
    assertEquals(6, run.events().size());
    for (String line : run.events().subList(0, 5)) {
      SensorEvent e = EventCsvCodec.parse(line);
      assertTrue(e.sensor() >= 1 && e.sensor() <= 100);
    }
    assertTrue(EventCsvCodec.parse(run.events().get(5)).isSentinel());
    assertTrue(run.events().get(0).startsWith("2018-01-13T21:37:30.830Z,"), "fake clock's start: " + run.events().get(0));
    assertTrue(run.err().get(run.err().size() - 1).matches("Sent 5 events to stdout in 0\\.[0-9] seconds"), run.err().toString());
  }

  @Test
  void sameSeedSameOutputOtherwiseNot() {
    assertEquals(simulate("--total=200", "--devices=3").events(), simulate("--total=200", "--devices=3").events());
    assertFalse(simulate("--total=200", "--seed=1").events().equals(simulate("--total=200", "--seed=2").events()));
  }

  @Test
  void severalDevicesUseTheFiveFieldLine() {
    Run run = simulate("--total=50", "--devices=3", "--rate=0");
    assertEquals(53, run.events().size());
    for (String line : run.events()) {
      assertEquals(5, line.split(",").length, line);
    }
  }

  @Test
  void jsonFormat() {
    Run run = simulate("--total=3", "--format=json");
    assertEquals(4, run.events().size());
    assertTrue(run.events().get(0).startsWith("{\"sensor_id\":1,\"sensor_ts\":1515879450830000,\"sensor_"), run.events().get(0));
    assertTrue(run.events().get(3).endsWith("\"sentinel\":true}"));
  }

  @Test
  void jsonWithAllReadingsPerMessageSendsOneMessagePerDeviceAndInstant() {
    Run run = simulate("--total=33", "--sensors=11", "--devices=2", "--rate=0", "--format=json", "--readingsPerMessage=all");
    assertEquals(0, run.status(), run.err().toString());
    assertEquals(3 + 2, run.events().size(), "three messages of 11 readings, a sentinel per device");
    io.iotbench.model.JsonEventCodec codec = new io.iotbench.model.JsonEventCodec(io.iotbench.model.JsonEventCodec.Fields.defaults());
    for (String message : run.events().subList(0, 3)) {
      assertTrue(message.matches("\\{\"sensor_id\":[12],\"sensor_ts\":1515879450830000(,\"sensor_\\d+\":0\\.\\d+(E-\\d+)?){11}}"), message);
      assertEquals(java.util.stream.IntStream.rangeClosed(1, 11).boxed().toList(),
          codec.parse(message).stream().map(io.iotbench.model.SensorEvent::sensor).toList());
    }
    assertTrue(run.err().get(0).startsWith("Sending 33 events (as fast as possible) in 3 messages of 11 readings from 11 sensors"),
        run.err().get(0));
    assertTrue(run.err().get(1).startsWith("Sent 33 events to stdout"), run.err().get(1));
  }

  @Test
  void readingsPerMessageMustDivideTheTotal() {
    Run run = simulate("--total=100", "--sensors=11", "--format=json", "--readingsPerMessage=all");
    assertEquals(2, run.status());
    assertEquals(List.of("iotbench simulate: error: --readingsPerMessage=all: --total=100 must be a multiple of the 11 readings"
        + " per message (events count readings)"), run.err());
  }

  @Test
  void anMqttTopicToPublishToHasNoWildcard() {
    Run run = simulate("--sink=mqtt", "--topic=iot/#");
    assertEquals(2, run.status());
    assertEquals(1, run.err().size());
    assertTrue(run.err().get(0).startsWith("iotbench simulate: error: --topic=iot/#: cannot publish to a topic with a wildcard"), run.err().get(0));
  }

  @Test
  void progressGoesToStderrEveryRateEvents() {
    Run run = simulate("--total=25", "--rate=10");
    assertEquals(
        List.of("Sending 25 events (10 per second) from 100 sensors of 1 device(s) to stdout",
            "10 events sent", "20 events sent"),
        run.err().subList(0, 3));
    assertTrue(run.err().get(3).matches("Sent 25 events to stdout in [0-9.]+ seconds"), run.err().get(3));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate=-1|--rate=-1: must be >= 0",
        "--rate=fast|--rate=fast: not a number",
        "--sensors=0|--sensors=0: must be >= 1",
        "--total=-5|--total=-5: must be >= 0",
        "--devices=0|--devices=0: must be >= 1",
        "--format=xml|--format=xml: must be one of csv, json",
        "--sink=file|--sink=file: must be one of kafka, mqtt, stdout, tcp",
        "--latePercent=101|--latePercent=101: must be <= 100",
        "--maxDelay=soon|--maxDelay=soon: not a duration (e.g. 500ms, 5s, 2m, 1h)",
        "--port=70000|--port=70000: must be <= 65535",
        "--qos=3|--qos=3: must be <= 2",
        "--bootstrapServers=localhost|--bootstrapServers=localhost: 'localhost' is not host:port",
        "--mqttUri=http://x:1|--mqttUri=http://x:1: must start with tcp://, ssl:// or tls://",
        "--sentinel=maybe|--sentinel=maybe: must be true or false",
        "--readingsPerMessage=some|--readingsPerMessage=some: must be a number or all",
        "--readingsPerMessage=0|--readingsPerMessage=0: must be >= 1",
        "--readingsPerMessage=101|--readingsPerMessage=101: must be <= 100",
        "--readingsPerMessage=all|--readingsPerMessage=all: needs --format=json (a CSV line carries one reading)",
        "--topic=iot/line<device>|--topic=iot/line<device>: <device> (a topic per device) is for --sink=mqtt only",
        "--rates=1|--rates: unknown option (see iotbench simulate --help)",
        "--rate|--rate: needs a value, as in --rate=...",
        "extra|unexpected argument 'extra' (options are --name=value)",
      })
  void badOptionIsOneLineAndStatusTwo(String arg, String message) {
    Run run = simulate(arg);
    assertEquals(2, run.status());
    assertEquals(List.of("iotbench simulate: error: " + message), run.err());
    assertEquals(List.of(), run.events());
  }

  @Test
  void lateEventsNeedAPositiveMaxDelay() {
    Run run = simulate("--latePercent=5", "--maxDelay=0s");
    assertEquals(2, run.status());
    assertEquals(List.of("iotbench simulate: error: --maxDelay=0s: must be > 0 when --latePercent is above 0"), run.err());
  }

  @Test
  void optionGivenTwiceIsRejected() {
    Run run = simulate("--rate=1", "--rate=2");
    assertEquals(List.of("iotbench simulate: error: --rate: given more than once"), run.err());
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    Run run = simulate("--help");
    assertEquals(0, run.status());
    String help = String.join("\n", run.out());
    for (OptionSpec option : new CommandLine(new Simulate(null, null, null)).getCommandSpec().options()) {
      assertTrue(help.contains(option.longestName()), option.longestName());
    }
    for (String expected : List.of("--rate=... ", "[10]", "[100]", "[1000]", "[42]", "[sensor-events]", "[stdout]", "[csv]",
        "[127.0.0.1:9092]", "[tcp://127.0.0.1:1883]", "--kafkaProperty=...")) {
      assertTrue(help.contains(expected), expected + " in\n" + help);
    }
  }

  @Test
  void unreachableKafkaFailsFastWithOneLineNamingTheAddress() {
    int port = FreePorts.find();
    Run run = simulate("--sink=kafka", "--bootstrapServers=127.0.0.1:" + port, "--kafkaProperty=sasl.jaas.config=TopSecret");
    assertEquals(1, run.status());
    assertEquals(List.of("iotbench simulate: error: cannot connect to Kafka at 127.0.0.1:" + port + ": Connection refused"), run.err());
    assertTrue(run.millis() < 5000, run.millis() + " ms");
  }

  @Test
  void unknownKafkaHostIsNamed() {
    Run run = simulate("--sink=kafka", "--bootstrapServers=no-such-host.invalid:9092");
    assertEquals(1, run.status());
    assertEquals(
        List.of("iotbench simulate: error: cannot connect to Kafka at no-such-host.invalid:9092: unknown host no-such-host.invalid"),
        run.err());
  }

  @Test
  void kafkaPropertyValuesAreNeverPrinted() {
    Run run = simulate("--kafkaProperty=TopSecret");
    assertEquals(2, run.status());
    assertFalse(String.join("\n", run.err()).contains("TopSecret"), run.err().toString());
  }

  @Test
  void unreachableMqttFailsFastWithOneLineNamingTheAddress() {
    int port = FreePorts.find();
    Run run = simulate("--sink=mqtt", "--mqttUri=tcp://127.0.0.1:" + port, "--password=TopSecret");
    assertEquals(1, run.status());
    assertEquals(List.of("iotbench simulate: error: cannot connect to MQTT broker at tcp://127.0.0.1:" + port + ": Connection refused"), run.err());
    assertTrue(run.millis() < 5000, run.millis() + " ms");
  }

  @Test
  void tcpPortInUseIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = simulate("--sink=tcp", "--port=" + taken.getLocalPort());
      assertEquals(1, run.status());
      assertEquals(1, run.err().size(), run.err().toString());
      assertTrue(run.err().get(0).startsWith("iotbench simulate: error: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "), run.err().get(0));
    }
  }

  @Test
  void tcpWithoutClientsGivesUpAfterTheWaitTimeout() {
    Run run = simulate("--sink=tcp", "--port=0", "--clientWaitTimeout=200ms");
    assertEquals(1, run.status());
    assertTrue(run.err().get(run.err().size() - 1).matches(
        "iotbench simulate: error: no client connected to 127.0.0.1:\\d+ within 200ms \\(0 of 1\\)"), run.err().toString());
  }
}
