package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.InvalidOptionException;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class MqttClientIdTest {

  private static ScoreSensorStream.Options options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(ScoreSensorStream.Options.class);
  }

  @Test
  void withoutClientIdTheSessionIsNamedAfterTheTopic() {
    assertEquals("iotbench-score-plant-7", ReadEventRecords.mqttClientId(options("--source=mqtt", "--topic=plant-7")));
    assertEquals("scorer-a", ReadEventRecords.mqttClientId(options("--source=mqtt", "--clientId=scorer-a")));
  }

  @Test
  void anEmptyClientIdIsRefusedBeforeAnythingStarts() {
    ScoreSensorStream.Options o = options("--source=mqtt", "--clientId=");
    o.setClientId("");
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ScoreSensorStream.validate(o));
    assertTrue(e.getMessage().startsWith("--clientId="), e.getMessage());
  }

  @Test
  void aControlCharacterIsRefusedAndNotPrinted() {
    ScoreSensorStream.Options o = options("--source=mqtt");
    o.setClientId("a\u0007b");
    InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ScoreSensorStream.validate(o));
    assertEquals("--clientId=a?b: must not contain control characters", e.getMessage());
  }
}
