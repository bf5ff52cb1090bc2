package io.iotbench.pipelines.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.generate.GenerateTrainingData;
import io.iotbench.pipelines.score.ScoreSensorStream;
import io.iotbench.pipelines.testing.ConsoleCapture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed credential and configuration options: one error line naming the option, exit 2, the value nowhere. */
class SecretOptionsTest {
  private record Result(int code, List<String> out, List<String> err) {
    String all() {
      return String.join("\n", out) + "\n" + String.join("\n", err);
    }
  }

  private static <T extends org.apache.beam.sdk.options.PipelineOptions> Result run(
      Class<T> options, Cli.Command<T> command, String... args) throws Exception {
    ConsoleCapture console = new ConsoleCapture();
    int code = console.capture(() -> Cli.execute("cmd", args, options, command));
    return new Result(code, console.outLines(), console.errLines());
  }

  private static Result generate(String... args) throws Exception {
    return run(GenerateTrainingData.Options.class, o -> 0, args);
  }

  @Test
  void aMalformedAwsCredentialsProviderNamesTheOptionAndHidesTheKeys() throws Exception {
    Result r = generate("--output=x", "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
        + "\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"secretAccessKey\":\"s3cr3t\"");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertEquals(1, r.err().size(), r.all());
    assertEquals(List.of("iotbench cmd: error: --awsCredentialsProvider=***: not valid JSON (Unexpected end-of-input: "
        + "expected close marker for Object (start marker at [Source: UNKNOWN; line: 1, column: 1]); the value is not shown)"),
        r.err());
    assertFalse(r.all().contains("s3cr3t") || r.all().contains("AKIAIOSFODNN7EXAMPLE"), r.all());
  }

  @Test
  void aSecretInTheMiddleOfALongMalformedValueIsNotQuotedBack() throws Exception {
    // Jackson quotes up to 500 characters of what it parsed in its locations, and Beam's message the whole value.
    String padding = "x".repeat(600);
    Result r = generate("--output=x", "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\","
        + "\"accessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"secretAccessKey\":\"s3cr3t\",\"pad\":\"" + padding + "\", oops}");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertEquals(1, r.err().size(), r.all());
    assertTrue(r.err().get(0).startsWith("iotbench cmd: error: --awsCredentialsProvider=***: not valid JSON (Unexpected character (***"), r.all());
    assertFalse(r.all().contains("s3cr3t") || r.all().contains("AKIAIOSFODNN7EXAMPLE") || r.all().contains("xxxx"), r.all());
  }

  @Test
  void aWellFormedButUnknownProviderKeepsBeamsReasonWithoutTheSecret() throws Exception {
    Result r = generate("--output=x", "--awsCredentialsProvider={\"@type\":\"NoSuchProvider\",\"secretAccessKey\":\"s3cr3t\"}");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertEquals(List.of("iotbench cmd: error: --awsCredentialsProvider=***: not accepted (AWS credential provider type "
        + "'NoSuchProvider' is not supported; the value is not shown)"), r.err());
    assertFalse(r.all().contains("s3cr3t"), r.all());
  }

  @Test
  void aMalformedHdfsConfigurationNamesTheOptionAndHidesItsValue() throws Exception {
    Result r = generate("--output=x",
        "--hdfsConfiguration=[{\"fs.defaultFS\":\"hdfs://127.0.0.1:8020\",\"fs.s3a.secret.key\":\"hdfs-s3cr3t\"");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertEquals(1, r.err().size(), r.all());
    assertTrue(r.err().get(0).startsWith("iotbench cmd: error: --hdfsConfiguration=***: not valid JSON ("), r.all());
    assertFalse(r.all().contains("hdfs-s3cr3t"), r.all());

    Result notAList = generate("--output=x", "--hdfsConfiguration={\"fs.s3a.secret.key\":\"hdfs-s3cr3t\"}");
    assertEquals(Cli.EXIT_USAGE, notAList.code());
    assertTrue(notAList.err().get(0).startsWith("iotbench cmd: error: --hdfsConfiguration=***: not accepted (Cannot "
        + "deserialize value of type `java.util.ArrayList<org.apache.hadoop.conf.Configuration>`"), notAList.all());
    assertFalse(notAList.all().contains("hdfs-s3cr3t"), notAList.all());
  }

  @Test
  void otherParseErrorsAreBeamsMessageAsBefore() throws Exception {
    Result r = generate("--output=x", "--sensors=many");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertTrue(r.err().get(0).startsWith("iotbench cmd: error: Cannot deserialize value of type `int` from String \"many\""), r.all());
  }

  @Test
  void aSecretKafkaPropertyIsMaskedInAFailureThatQuotesIt() throws Exception {
    String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-s3cr3t\";";
    Result r = run(ScoreSensorStream.Options.class, o -> {
      throw new IllegalStateException("login failed for " + jaas);
    }, "--model=m", "--kafkaProperty=sasl.jaas.config=" + jaas, "--kafkaProperty=client.id=visible-id");
    assertEquals(Cli.EXIT_FAILED, r.code());
    assertEquals(List.of("iotbench cmd: failed: login failed for ***"), r.err());

    Result id = run(ScoreSensorStream.Options.class, o -> {
      throw new IllegalStateException("client visible-id");
    }, "--model=m", "--kafkaProperty=client.id=visible-id");
    assertEquals(List.of("iotbench cmd: failed: client visible-id"), id.err(), "not a secret: shown");
  }

  @Test
  void aKafkaPropertyWithoutEqualsSignIsRefusedWithoutItsText() throws Exception {
    Result r = run(ScoreSensorStream.Options.class, o -> {
      ScoreSensorStream.validate(o);
      return 0;
    }, "--model=m", "--decisionsKafkaProperty=sasl.jaas.config:kafka-s3cr3t");
    assertEquals(Cli.EXIT_USAGE, r.code());
    assertEquals(List.of("iotbench cmd: error: --decisionsKafkaProperty=...: expected key=value (the value given is not shown)"),
        r.err());
  }

  @Test
  void whichValuesAreSecret() {
    List<SecretOptions.Secret> secrets = SecretOptions.in(new String[] {
        "--password=pw1", "--passwordFile=/etc/pw", "--apiToken=tok", "--sessionKey=k", "--sensors=3",
        "--kafkaProperty=ssl.truststore.password=tpw", "--kafkaProperty=sasl.mechanism=PLAIN",
        "--kafkaProperty=group.id=g", "--decisionsKafkaProperty=broken", "--awsCredentialsProvider={}", "positional"});
    assertEquals(List.of("apiToken=tok", "awsCredentialsProvider={}", "decisionsKafkaProperty=broken", "kafkaProperty=PLAIN",
            "kafkaProperty=tpw", "password=pw1", "sessionKey=k"),
        secrets.stream().map(s -> s.option() + "=" + s.value()).sorted().toList());
    assertEquals("a *** b *** c", SecretOptions.mask("a pw1 b tok c", secrets));
  }
}
