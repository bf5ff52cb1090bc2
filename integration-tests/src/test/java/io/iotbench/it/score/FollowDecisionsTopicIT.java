package io.iotbench.it.score;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iotbench.it.harness.KafkaServer;
import io.iotbench.pipelines.score.Decision;
import io.iotbench.pipelines.score.FollowDecisionsTopic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the launching process of a cluster run follows its decisions topic (the console report of a run whose DoFns
 * print on executors): a real broker; earlier runs' decisions are left out, this run's come in order, also when the
 * topic is created by the run's first decision, and the last ones written before the run ended are not lost.
 */
class FollowDecisionsTopicIT {
  @RegisterExtension static final KafkaServer KAFKA = new KafkaServer();

  private static Decision decision(long interval) {
    return new Decision(1_000 * interval, interval, "d" + interval % 2, 10, 0.25, (int) (interval % 2), false, false, false, false);
  }

  private static void publish(String topic, List<Decision> decisions) {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (Decision d : decisions) {
        producer.send(new ProducerRecord<>(topic, d.toJson()));
      }
    }
  }

  @Test
  void aRunsDecisionsAreFollowedInOrderAndEarlierRunsAreLeftOut() throws Exception {
    String topic = "follow-existing";
    KAFKA.createTopic(topic, 1);
    publish(topic, List.of(decision(1), decision(2)));
    List<Decision> seen = Collections.synchronizedList(new ArrayList<>());
    List<Decision> now = List.of(decision(3), decision(4), decision(5));
    try (FollowDecisionsTopic follow = FollowDecisionsTopic.start(KAFKA.bootstrapServers(), topic, Map.of(), seen::add)) {
      publish(topic, now.subList(0, 2));
      Thread.sleep(1_000);
      publish(topic, now.subList(2, 3)); // written as the run ends: the last read takes it
    }
    assertEquals(now, seen);
  }

  @Test
  void aTopicCreatedByTheRunIsFollowedFromItsBeginning() throws Exception {
    String topic = "follow-created-later";
    List<Decision> seen = Collections.synchronizedList(new ArrayList<>());
    List<Decision> now = List.of(decision(1), decision(2));
    try (FollowDecisionsTopic follow = FollowDecisionsTopic.start(KAFKA.bootstrapServers(), topic, Map.of(), seen::add)) {
      Thread.sleep(500);
      KAFKA.createTopic(topic, 1);
      publish(topic, now);
      Thread.sleep(1_000);
    }
    assertEquals(now, seen);
  }
}
