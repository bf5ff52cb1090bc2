package io.iotbench.pipelines.score;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iotbench.pipelines.common.Cli;
import io.iotbench.pipelines.common.PipelineCounters;
import io.iotbench.pipelines.testing.Runners;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check run by default: the heap the scorer's per-device state takes on the DirectRunner.
 * An unbounded stream gives {@code iotbench.heap.devices} distinct device ids one event each (sensor i % 100 + 1
 * of 100 sensors, 1,000 devices per second of event time), then keeps a few other devices sending so the
 * watermark moves on. When the last distinct device's decision is out, the test runs the GC and prints the
 * used heap, the same at the 1,000th device as a baseline, and the bytes per device between the two. Run it
 * once with the idle timeout ({@code iotbench.heap.idleTimeout}, seconds; default 10) and once with it off
 * ({@code 0}: a timeout of 10^9 s), each in its own JVM; {@code iotbench.heap.rate} (events per second of
 * wall time, default 5000) must stay below what the DirectRunner keeps up with on the machine:
 *
 * <pre>{@code
 * mvn -o -q -B -Pdirect-runner,spark-runner,flink-runner -pl pipelines -am -Dtest=DeviceStateHeapTest \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Diotbench.heap.devices=100000 -Diotbench.heap.idleTimeout=10 test
 * grep RESULT pipelines/target/surefire-reports/*DeviceStateHeapTest-output.txt
 * }</pre>
 */
@EnabledIfSystemProperty(named = "iotbench.heap.devices", matches = "[0-9]+")
class DeviceStateHeapTest {
  static final int SENSORS = 100;
  static final long BASELINE = 1_000;
  static final AtomicLong DECIDED = new AtomicLong();
  static final AtomicLong BASELINE_BYTES = new AtomicLong();
  static final AtomicLong FINAL_BYTES = new AtomicLong();
  static volatile CountDownLatch done;
  static volatile long devices;

  @TempDir Path temp;

  /** Counts the decisions of the distinct devices and measures the heap at the baseline and at the last one. */
  static final class MeasureFn extends DoFn<Decision, Void> {
    @ProcessElement
    public void process(@Element Decision d) {
      if (!d.device().startsWith("d")) {
        return;
      }
      long n = DECIDED.incrementAndGet();
      if (n == BASELINE) {
        BASELINE_BYTES.set(usedAfterGc());
      } else if (n == devices) {
        FINAL_BYTES.set(usedAfterGc());
        if (Boolean.getBoolean("iotbench.heap.histogram")) {
          printHistogram();
        }
        done.countDown();
      }
    }
  }

  static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) { // the smallest of three full collections
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** The top of the live-object histogram (what holds the heap), with {@code -Diotbench.heap.histogram=true}. */
  static void printHistogram() {
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
      try (java.io.BufferedReader in = jcmd.inputReader()) {
        in.lines().limit(40).forEach(line -> System.out.println("HISTOGRAM " + line));
      }
      jcmd.waitFor();
    } catch (java.io.IOException | InterruptedException e) {
      System.out.println("HISTOGRAM unavailable: " + e);
    }
  }

  @Test
  void heapAfterDistinctDevices() throws Exception {
    devices = Long.parseLong(System.getProperty("iotbench.heap.devices"));
    double idle = Double.parseDouble(System.getProperty("iotbench.heap.idleTimeout", "10"));
    long rate = Long.parseLong(System.getProperty("iotbench.heap.rate", "5000"));
    String timeout = idle > 0 ? String.valueOf(idle) : "1000000000";
    DECIDED.set(0);
    done = new CountDownLatch(1);
    Path model = ScoreFixtures.writeModel(temp.resolve("model"), SENSORS);
    ScoreSensorStream.Options o = Cli.parse(Runners.args(Runners.DIRECT, "--model=" + model, "--sensors=" + SENSORS,
        "--interval=1", "--deviceIdleTimeout=" + timeout, "--blockOnRun=false", "--streaming=true",
        "--enforceEncodability=false", "--enforceImmutability=false"), ScoreSensorStream.Options.class);
    Pipeline p = Pipeline.create(o);
    long t0 = ScoreFixtures.T0.toEpochMilli();
    long n = devices;
    PCollection<String> records = p
        // Rate-limited: an unthrottled source runs far ahead of the scorer and fills the heap with elements in flight.
        .apply("Events", GenerateSequence.from(0).withRate(rate, org.joda.time.Duration.standardSeconds(1))
            .withTimestampFn(i -> new Instant(t0 + i)))
        .apply("AsCsv", MapElements.into(TypeDescriptors.strings()).via((Long i) ->
            ScoreFixtures.csv(i, (int) (i % SENSORS) + 1, 0.25, i < n ? "d" + i : "t" + (i % 8))));
    ScoreSensorStream.scoreRecords(records, o, ScoreFixtures.numbering(), false)
        .decisions().apply("Measure", ParDo.of(new MeasureFn()));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    boolean finished = done.await(60, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    long expired = PipelineCounters.get(result, ScoreIntervals.ScoreIntervalFn.class, ScoreIntervals.DEVICES_EXPIRED);
    result.cancel();
    assertTrue(finished, "the last device was not decided in time");
    long perDevice = (FINAL_BYTES.get() - BASELINE_BYTES.get()) / (devices - BASELINE);
    System.out.println(String.format(Locale.ROOT,
        "RESULT runner=DirectRunner devices=%d sensors=%d deviceIdleTimeout=%s rate=%d usedHeapAfterGc=%d"
            + " baselineAt%d=%d bytesPerDevice=%d devicesExpired=%d seconds=%.1f maxHeap=%d",
        devices, SENSORS, idle > 0 ? idle + "s" : "off", rate, FINAL_BYTES.get(), BASELINE, BASELINE_BYTES.get(),
        perDevice, expired, seconds, Runtime.getRuntime().maxMemory()));
  }
}
