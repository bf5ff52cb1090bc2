package io.iotbench.pipelines.score.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldAcksTest {
  private final List<Integer> sent = new ArrayList<>();
  private final HeldAcks acks = new HeldAcks();

  private void offer(int from, int to) {
    for (int i = from; i <= to; i++) {
      int n = i;
      acks.offered(() -> sent.add(n));
    }
  }

  private void finalize(long readerRecords) {
    acks.finalized(readerRecords).forEach(Runnable::run);
  }

  @Test
  void acknowledgementsWaitForAFinalizedMarkThatCoversTheirMessages() {
    offer(1, 10);
    acks.handedOut(4);
    acks.marked(4);
    assertEquals(List.of(), sent, "buffered and handed out, but no checkpoint finalized yet");
    acks.handedOut(3);
    acks.marked(7);
    finalize(4);
    assertEquals(List.of(1, 2, 3, 4), sent);
    finalize(7);
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), sent);
    assertEquals(3, acks.size(), "messages 8..10 are still in the buffer");
  }

  @Test
  void finalizingAnOldMarkAfterANewerOneAcknowledgesNothingTwice() {
    offer(1, 6);
    acks.handedOut(2);
    acks.marked(2);
    acks.handedOut(4);
    acks.marked(6);
    finalize(6);
    assertEquals(List.of(1, 2, 3, 4, 5, 6), sent);
    finalize(2);
    assertEquals(List.of(1, 2, 3, 4, 5, 6), sent);
  }

  @Test
  void finalizingAnOldMarkAcknowledgesOnlyTheMessagesItCovers() {
    offer(1, 9);
    acks.handedOut(3);
    acks.marked(3);
    acks.handedOut(5);
    acks.marked(8);
    finalize(3);
    assertEquals(List.of(1, 2, 3), sent);
  }

  /** The reader resumed from a runner checkpoint at 1000 records while this feed is new: counts differ. */
  @Test
  void aMarkCountsTheReadersRecordsNotTheFeeds() {
    offer(1, 50);
    acks.handedOut(20);
    acks.marked(1020);
    finalize(20);
    assertEquals(List.of(), sent, "no mark counted 20 records: nothing is covered");
    finalize(1020);
    assertEquals(20, sent.size());
    assertEquals(20, sent.get(19));
  }

  @Test
  void aMarkTakenBeforeThisFeedExistedAcknowledgesNothing() {
    offer(1, 5);
    acks.handedOut(5);
    finalize(900); // an older feed's (or another JVM's) mark
    assertEquals(List.of(), sent);
    assertEquals(5, acks.size());
  }

  @Test
  void acknowledgementsHeldAcrossAReconnectionAreDroppedNotSent() {
    offer(1, 3);
    acks.handedOut(3);
    acks.marked(3);
    acks.reconnected(); // the broker redelivers 1..3 on the resumed session
    offer(4, 6);
    acks.handedOut(3);
    acks.marked(6);
    finalize(6);
    assertEquals(List.of(4, 5, 6), sent, "packet ids of the lost connection must not be acknowledged on the new one");
    assertEquals(0, acks.size());
  }

  @Test
  void clientIdsMqttCannotCarryAreRefused() {
    assertNull(MqttLineSource.clientIdProblem("iotbench-score-sensor-events"));
    assertNull(MqttLineSource.clientIdProblem("a".repeat(200)), "mosquitto accepts ids longer than 23 characters");
    assertTrue(MqttLineSource.clientIdProblem("").contains("empty"));
    assertTrue(MqttLineSource.clientIdProblem("a\u0000b").contains("control"));
    assertTrue(MqttLineSource.clientIdProblem("x".repeat(65_536)).contains("65535"));
  }
}
